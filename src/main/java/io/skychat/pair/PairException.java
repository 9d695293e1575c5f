package io.skychat.pair;

import io.skychat.core.SkychatException;

/** A pair leaf or announcement that cannot be opened or trusted; the leaf is dropped, the pair goes on. */
public final class PairException extends SkychatException {

    private PairException(String type, String message) {
        super(type, message, null);
    }

    static PairException cannotOpen(String why) {
        return new PairException("pair-cannot-open", "pair message does not open: " + why);
    }

    static PairException malformed(String what) {
        return new PairException("pair-malformed", what);
    }

    static PairException badAnnouncement(String why) {
        return new PairException("pair-bad-announcement", "ratchet announcement refused: " + why);
    }
}
