package io.skychat.transport.codec;

import io.skychat.core.SkychatException;

/** Bytes from a peer that break the chat wire format; the connection that sent them is closed. */
public final class FrameException extends SkychatException {

    private FrameException(String type, String message) {
        super(type, message, null);
    }

    static FrameException badLength(long length) {
        return new FrameException("protocol-error", "chat frame length " + length + " is outside 1.."
                + ChatFrames.MAX_PAYLOAD);
    }

    static FrameException tooLarge(int length) {
        return new FrameException("message-too-large", "encoded message is " + length
                + " bytes; a chat frame holds at most " + ChatFrames.MAX_PAYLOAD);
    }
}
