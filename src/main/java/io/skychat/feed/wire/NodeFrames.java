package io.skychat.feed.wire;

import io.skychat.feed.FeedException;
import java.nio.ByteBuffer;

/**
 * The stream framing of upstream {@code node/transport/connection.go}: {@code u32 BIG-endian length ‖
 * payload}, 0 < length ≤ 64 MiB. Note the head inside the payload is little-endian.
 */
public final class NodeFrames {

    public static final int HEADER = 4;
    /** Upstream's limit; a node may pass a smaller one to {@link #tryDecode(ByteBuffer, int)}. */
    public static final int MAX_PAYLOAD = 64 << 20;

    private NodeFrames() {
    }

    public static byte[] frame(byte[] payload) {
        if (payload.length < NodeCodec.HEAD + 1 || payload.length > MAX_PAYLOAD) {
            throw FeedException.frameLength(payload.length, MAX_PAYLOAD);
        }
        return ByteBuffer.allocate(HEADER + payload.length).putInt(payload.length).put(payload).array();
    }

    public static NodeFrame tryDecode(ByteBuffer in) {
        return tryDecode(in, MAX_PAYLOAD);
    }

    /**
     * Takes one whole frame off the front of {@code in} and decodes it, or returns {@code null} (position
     * unchanged) when more bytes are needed. A bad length fails as soon as the header is readable, so a
     * hostile claim never makes us buffer it.
     */
    public static NodeFrame tryDecode(ByteBuffer in, int maxPayload) {
        if (in.remaining() < HEADER) {
            return null;
        }
        long length = Integer.toUnsignedLong(in.getInt(in.position()));
        if (length < NodeCodec.HEAD + 1 || length > Math.min(maxPayload, MAX_PAYLOAD)) {
            throw FeedException.frameLength(length, Math.min(maxPayload, MAX_PAYLOAD));
        }
        if (in.remaining() < HEADER + length) {
            return null;
        }
        byte[] payload = new byte[(int) length];
        in.position(in.position() + HEADER);
        in.get(payload);
        return NodeCodec.decodePayload(payload);
    }
}
