package io.skychat.feed.node;

import io.skychat.feed.wire.NodeFrame;
import io.skychat.feed.wire.NodeFrames;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reassembles node frames ({@code u32 BE length ‖ payload}) from stream chunks: a frame may span many
 * chunks (a 16 MB one arrives in ~4 000 Noise frames) and one chunk may hold many frames. The buffer grows
 * by doubling as bytes arrive, never to a length a header merely claims; a length outside 9..max fails
 * from the header alone. Not thread-safe: one per connection.
 */
final class FrameAssembler {

    private final int maxPayload;
    private byte[] buf = new byte[0];
    private int start;
    private int end;

    FrameAssembler(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    /** Every whole frame completed by {@code chunk}; throws {@code FeedException} on a bad length or body. */
    List<NodeFrame> feed(byte[] chunk) {
        append(chunk);
        List<NodeFrame> out = new ArrayList<>(1);
        ByteBuffer view = ByteBuffer.wrap(buf, start, end - start);
        NodeFrame f;
        while ((f = NodeFrames.tryDecode(view, maxPayload)) != null) {
            out.add(f);
        }
        start = view.position();
        if (start == end) {
            start = end = 0;
            if (buf.length > 1 << 16) {
                buf = new byte[0]; // a big frame is done: do not keep its buffer
            }
        }
        return out;
    }

    int buffered() {
        return end - start;
    }

    private void append(byte[] chunk) {
        if (end + chunk.length > buf.length) {
            int live = end - start;
            int need = live + chunk.length;
            if (need <= buf.length && start > 0) {
                System.arraycopy(buf, start, buf, 0, live); // room enough once the consumed part is gone
            } else {
                buf = Arrays.copyOfRange(buf, start, start + Math.max(need, Math.max(256, buf.length * 2)));
            }
            start = 0;
            end = live;
        }
        System.arraycopy(chunk, 0, buf, end, chunk.length);
        end += chunk.length;
    }
}
