package io.skychat.transport.gob;

import io.skychat.core.SkychatException;

/**
 * Bytes that are not a gob stream we can read: truncated, malformed, too large, or naming a type nobody
 * defined. The stream is unusable afterwards, so callers close the connection that sent it.
 */
public final class GobException extends SkychatException {

    private static final long serialVersionUID = 1L;

    private GobException(String message) {
        super("protocol-error", "gob: " + message, null);
    }

    static GobException truncated(String what) {
        return new GobException("input ends inside " + what);
    }

    static GobException malformed(String why) {
        return new GobException(why);
    }

    static GobException tooLarge(String what, long size, long max) {
        return new GobException(what + " of " + Long.toUnsignedString(size) + " exceeds the limit of " + max);
    }

    static GobException unknownType(int id) {
        return new GobException("type id " + id + " was never defined on this stream");
    }

    /** A value that decoded fine but is not what the caller's type expects (wrong kind, out of range). */
    public static GobException mismatch(String why) {
        return new GobException(why);
    }
}
