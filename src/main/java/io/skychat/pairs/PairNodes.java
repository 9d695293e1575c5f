package io.skychat.pairs;

import io.skychat.core.PeerKey;
import io.skychat.feed.node.FeedNode;

/**
 * Where a pair's own feed node comes from (upstream's topology): one node per active pair, bound to our
 * identity key, with its own store, listening on the pair port and keeping a link to the peer's node there.
 */
@FunctionalInterface
public interface PairNodes {

    /**
     * Starts the feed node of the pair with {@code peer} on {@code port} and returns at once; links open in
     * the background and are redialled while the node is open.
     */
    PairNode open(PeerKey peer, int port);

    /** One pair's node and the links that carry it; {@link #close} ends both (the pair ended or we stop). */
    interface PairNode extends AutoCloseable {

        FeedNode node();

        /** The port the node listens on and dials. */
        int port();

        @Override
        void close();
    }
}
