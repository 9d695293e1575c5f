package io.skychat.transport.dmsg;

import io.skychat.core.SkychatException;

/**
 * The yamux session cannot go on: the peer broke the protocol, said it is going away with an error, or a
 * local call came after the end. {@link #goAway()} holds the frame upstream would write before closing.
 */
public final class YamuxException extends SkychatException {

    /** What went wrong; stable names that tests and logs can rely on. */
    public enum Reason {
        BAD_VERSION, UNKNOWN_TYPE, FRAME_TOO_LARGE, RECEIVE_WINDOW_EXCEEDED, SEND_WINDOW_OVERFLOW,
        BAD_STREAM_ID, DUPLICATE_STREAM, UNEXPECTED_FLAG, REMOTE_PROTOCOL_ERROR, REMOTE_INTERNAL_ERROR,
        UNEXPECTED_GO_AWAY, REMOTE_GO_AWAY, STREAMS_EXHAUSTED, TOO_MANY_OPENING, STREAM_CLOSED,
        UNKNOWN_STREAM, SESSION_CLOSED
    }

    private final Reason reason;
    private final transient byte[] goAway;

    private YamuxException(Reason reason, String message, byte[] goAway) {
        super("protocol-error", "yamux: " + message, null);
        this.reason = reason;
        this.goAway = goAway;
    }

    /** The peer's fault: upstream answers these with GoAway(protocol error) and closes the session. */
    static YamuxException protocol(Reason reason, String message) {
        return new YamuxException(reason, message, new YamuxFrame.GoAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR).encode());
    }

    /** The session ends without a reply frame (bad header, or the peer's own go-away). */
    static YamuxException fatal(Reason reason, String message) {
        return new YamuxException(reason, message, null);
    }

    /** A local call that the stream or session state does not allow; the session itself may go on. */
    static YamuxException local(Reason reason, String message) {
        return new YamuxException(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }

    /** Bytes to write before closing the connection, or null when upstream writes nothing. */
    public byte[] goAway() {
        return goAway == null ? null : goAway.clone();
    }
}
