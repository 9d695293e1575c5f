package io.skychat.transport.dmsg;

import io.skychat.core.SkychatException;

/** A stream request or response that failed a check; {@link #code()} is what a refusal would carry. */
public final class StreamHandshakeException extends SkychatException {

    private static final long serialVersionUID = 1L;

    private final StreamErrorCode code;

    StreamHandshakeException(StreamErrorCode code, String detail, Throwable cause) {
        super("protocol-error", "dmsg stream: " + code.code() + " - " + code.text()
                + (detail == null ? "" : " (" + detail + ")"), cause);
        this.code = code;
    }

    StreamHandshakeException(StreamErrorCode code, String detail) {
        this(code, detail, null);
    }

    public StreamErrorCode code() {
        return code;
    }
}
