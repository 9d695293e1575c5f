package io.skychat.feed.node;

import io.skychat.feed.wire.NodeFrame;
import io.skychat.feed.wire.NodeFrames;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reassembles node frames ({@code u32 BE length ‖ payload}) from stream chunks: a frame may span many
 * chunks and one chunk may hold many frames. A length outside 9..max fails from the header alone, before
 * anything is buffered for it. Not thread-safe: one per connection.
 */
final class FrameAssembler {

    private final int maxPayload;
    private ByteBuffer buffer = ByteBuffer.allocate(0);

    FrameAssembler(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    /** Every whole frame completed by {@code chunk}; throws {@code FeedException} on a bad length or body. */
    List<NodeFrame> feed(byte[] chunk) {
        if (buffer.remaining() == 0) {
            buffer = ByteBuffer.wrap(chunk);
        } else {
            ByteBuffer joined = ByteBuffer.allocate(buffer.remaining() + chunk.length);
            joined.put(buffer).put(chunk).flip();
            buffer = joined;
        }
        List<NodeFrame> out = new ArrayList<>(1);
        NodeFrame f;
        while ((f = NodeFrames.tryDecode(buffer, maxPayload)) != null) {
            out.add(f);
        }
        if (buffer.remaining() > 0 && buffer.position() > 0) {
            buffer = ByteBuffer.wrap(copyRemaining(buffer)); // keep only the partial frame
        }
        return out;
    }

    int buffered() {
        return buffer.remaining();
    }

    private static byte[] copyRemaining(ByteBuffer b) {
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        return rest;
    }
}
