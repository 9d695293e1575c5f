package io.skychat.feed.wire;

/**
 * One message on a CXO stream with its head (upstream {@code node/conn.go}): {@code seq} numbers the
 * sender's messages from 1, {@code rseq} is the seq of the request answered, 0 when unsolicited.
 * Both are u32 on the wire.
 */
public record NodeFrame(long seq, long rseq, NodeMessage message) {

    public NodeFrame {
        if (seq < 0 || seq > 0xffff_ffffL || rseq < 0 || rseq > 0xffff_ffffL || message == null) {
            throw new IllegalArgumentException("seq and rseq are u32 and a message is required");
        }
    }

    /** {@code u32 LE seq ‖ u32 LE rseq ‖ message}. */
    public byte[] payload() {
        return NodeCodec.payload(this);
    }

    /** The payload behind its {@code u32 BIG-endian} length, as written on the stream. */
    public byte[] wire() {
        return NodeFrames.frame(payload());
    }
}
