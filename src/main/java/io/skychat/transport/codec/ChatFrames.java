package io.skychat.transport.codec;

import java.nio.ByteBuffer;

/**
 * The chat frame: {@code uint32 big-endian length ‖ payload}, length 1..65536. Pure functions over byte
 * buffers so the format is testable without a socket.
 */
public final class ChatFrames {

    public static final int HEADER = 4;
    public static final int MAX_PAYLOAD = 65536;

    private ChatFrames() {
    }

    public static byte[] encode(byte[] payload) {
        check(payload.length);
        return ByteBuffer.allocate(HEADER + payload.length).putInt(payload.length).put(payload).array();
    }

    /**
     * Takes one whole frame off the front of {@code in}, or returns {@code null} (position unchanged) when
     * more bytes are needed. A bad length is reported as soon as the header is readable, before any payload
     * is buffered, so an oversized claim cannot make us hold 4 GiB.
     */
    public static byte[] tryDecode(ByteBuffer in) {
        if (in.remaining() < HEADER) {
            return null;
        }
        long length = Integer.toUnsignedLong(in.getInt(in.position()));
        if (length < 1 || length > MAX_PAYLOAD) {
            throw FrameException.badLength(length);
        }
        if (in.remaining() < HEADER + length) {
            return null;
        }
        in.position(in.position() + HEADER);
        byte[] payload = new byte[(int) length];
        in.get(payload);
        return payload;
    }

    static void check(int length) {
        if (length > MAX_PAYLOAD) {
            throw FrameException.tooLarge(length);
        }
        if (length < 1) {
            throw FrameException.badLength(length);
        }
    }
}
