package io.skychat.feed;

import io.skychat.core.SkychatException;

/**
 * Feed bytes or a feed Root that cannot be trusted: malformed encodings, roots that fail verification,
 * bad tree paths. {@link #type()} names the case; a peer that sent such bytes is disconnected.
 */
public final class FeedException extends SkychatException {

    private FeedException(String type, String message) {
        super(type, message, null);
    }

    /** An encoding is shorter than a field it announces, or longer than the value it holds. */
    public static FeedException malformed(String what) {
        return new FeedException("feed-malformed", what);
    }

    static FeedException truncated(String what, long needed, int remaining) {
        return malformed(what + " needs " + needed + " bytes, " + remaining + " remain");
    }

    public static FeedException unknownMessage(int type) {
        return new FeedException("feed-unknown-message", "invalid message type: " + type);
    }

    public static FeedException frameLength(long length, int max) {
        return new FeedException("feed-frame-length", "CXO frame length " + length + " is outside 1.." + max);
    }

    static FeedException badSignature(String why) {
        return new FeedException("feed-bad-signature", "root signature does not verify: " + why);
    }

    static FeedException wrongFeed(String expected, String got) {
        return new FeedException("feed-wrong-feed", "root of feed " + got + " received for feed " + expected);
    }

    static FeedException staleRoot(long last, long seq) {
        return new FeedException("feed-stale-root", "root seq " + seq + " does not follow the last seq " + last);
    }

    static FeedException prevMismatch(long seq) {
        return new FeedException("feed-prev-mismatch", "root seq " + seq + " does not point at the previous root");
    }

    static FeedException objectMismatch(Hash expected) {
        return new FeedException("feed-object-mismatch", "object does not hash to the key " + expected.hex());
    }

    static FeedException badPath(String path, String why) {
        return new FeedException("feed-bad-path", "path '" + path + "' " + why);
    }

    static FeedException pathConflict(String path) {
        return new FeedException("feed-path-conflict", "path '" + path + "' is both a leaf and a subtree");
    }
}
