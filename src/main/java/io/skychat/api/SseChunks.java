package io.skychat.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * SSE frames as the bytes a stream's connection sends. An HTTP/1.1 streaming response is chunked, and a
 * frame every stream sends alike (an event, a ping) is framed as its chunk once ({@link #chunk}) rather than
 * by the HTTP encoder once per stream, and kept in one direct buffer that every connection writes a
 * duplicate of ({@link #shared}): no copy, no allocation but the duplicate's few bytes, per write.
 */
final class SseChunks {

    private static final byte[] CRLF = {'\r', '\n'};

    private SseChunks() {
    }

    /** {@code bytes} as one HTTP/1.1 chunk: its length in hex, CRLF, the bytes, CRLF (RFC 9112 §7.1). */
    static byte[] chunk(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("an empty chunk would end the body");
        }
        byte[] size = Integer.toHexString(bytes.length).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size.length + 2 + bytes.length + 2];
        System.arraycopy(size, 0, out, 0, size.length);
        System.arraycopy(CRLF, 0, out, size.length, 2);
        System.arraycopy(bytes, 0, out, size.length + 2, bytes.length);
        System.arraycopy(CRLF, 0, out, out.length - 2, 2);
        return out;
    }

    /**
     * {@code bytes} in a direct buffer for many connections to write: write {@code duplicate()} of it (its
     * own indices, the same memory). Releasing it does nothing, so a write that releases what it wrote
     * leaves it intact for the next; its memory is the JDK's, freed when the last reference to it is gone.
     */
    static ByteBuf shared(byte[] bytes) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
    }
}
