package io.skychat.groups;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.skychat.core.SkychatException;
import reactor.core.publisher.Flux;

/**
 * The admission listener's framing (upstream {@code pkg/skychat/message}): {@code u32 BE length ‖ payload},
 * 1..64 KiB, one JSON document per frame.
 */
final class JoinFrames {

    static final int MAX = 64 * 1024;

    private JoinFrames() {
    }

    static byte[] frame(byte[] payload) {
        if (payload.length < 1 || payload.length > MAX) {
            throw new IllegalArgumentException("join frame of " + payload.length + " bytes");
        }
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    /** Whole frames out of a stream's chunks; errors on a frame length outside 1..64 KiB. */
    static Flux<byte[]> frames(Flux<byte[]> chunks) {
        return Flux.defer(() -> {
            Decoder d = new Decoder();
            return chunks.concatMapIterable(d::feed);
        });
    }

    private static final class Decoder {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        List<byte[]> feed(byte[] chunk) {
            buffer.writeBytes(chunk);
            byte[] all = buffer.toByteArray();
            List<byte[]> out = new ArrayList<>();
            int at = 0;
            while (all.length - at >= 4) {
                int len = ByteBuffer.wrap(all, at, 4).getInt();
                if (len < 1 || len > MAX) {
                    throw SkychatException.badRequest("join frame length " + Integer.toUnsignedString(len)
                            + " is outside 1.." + MAX);
                }
                if (all.length - at - 4 < len) {
                    break;
                }
                byte[] payload = new byte[len];
                System.arraycopy(all, at + 4, payload, 0, len);
                out.add(payload);
                at += 4 + len;
            }
            buffer.reset();
            buffer.write(all, at, all.length - at);
            return out;
        }
    }
}
