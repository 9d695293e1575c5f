package io.skychat.transport.dmsg;

import io.skychat.core.SkychatException;

/** A stream request or response frame from the session peer that cannot be opened; the stream is dropped. */
public final class SessionFrameException extends SkychatException {

    SessionFrameException(String message, Throwable cause) {
        super("protocol-error", "dmsg session frame: " + message, cause);
    }
}
