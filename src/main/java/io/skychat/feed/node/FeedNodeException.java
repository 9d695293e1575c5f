package io.skychat.feed.node;

import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;

/** What went wrong with a feed, a fill or a peer; {@link #type()} names the case. */
public final class FeedNodeException extends SkychatException {

    private final PeerKey feed;

    private FeedNodeException(String type, PeerKey feed, String message) {
        super(type, message, null);
        this.feed = feed;
    }

    /** The feed concerned, or null when the problem is the connection's. */
    public PeerKey feed() {
        return feed;
    }

    static FeedNodeException fillAbandoned(PeerKey feed, long seq, String why) {
        return new FeedNodeException("feed-fill-abandoned", feed, "fill of " + feed + " seq " + seq + " abandoned: " + why);
    }

    static FeedNodeException rootRefused(PeerKey feed, String why) {
        return new FeedNodeException("feed-root-refused", feed, "root of " + feed + " refused: " + why);
    }

    static FeedNodeException subscribeRefused(PeerKey feed, PeerKey at, String error) {
        return new FeedNodeException("feed-subscribe-refused", feed, at + " refused the subscription to " + feed
                + ": " + error);
    }

    static FeedNodeException overflow(PeerKey feed, int buffer) {
        return new FeedNodeException("feed-subscriber-overflow", feed, "the consumer of " + feed + " fell more than "
                + buffer + " leaves behind; subscribe again to get the current tree");
    }

    static FeedNodeException protocol(PeerKey peer, String why) {
        return new FeedNodeException("feed-protocol", null, "connection with " + peer + " closed: " + why);
    }

    static FeedNodeException unknownFeed(PeerKey feed) {
        return new FeedNodeException("feed-unknown", feed, "this node does not publish " + feed);
    }
}
