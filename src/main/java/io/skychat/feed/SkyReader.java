package io.skychat.feed;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The read half of skycoin's {@code cipher/encoder}. Every length is checked against the bytes that
 * remain before anything is allocated, so a hostile length costs nothing; failures are
 * {@link FeedException#malformed}.
 */
public final class SkyReader {

    private final byte[] buf;
    private final int end;
    private int pos;
    private final String what;

    public SkyReader(byte[] buf, String what) {
        this(buf, 0, buf.length, what);
    }

    public SkyReader(byte[] buf, int offset, int length, String what) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new IllegalArgumentException("range outside the buffer");
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
        this.what = what;
    }

    public int remaining() {
        return end - pos;
    }

    public int u8() {
        need(1);
        return buf[pos++] & 0xff;
    }

    /** Any nonzero byte is true, as upstream decodes it. */
    public boolean bool() {
        return u8() != 0;
    }

    public int u16() {
        return (int) le(2);
    }

    public long u32() {
        return le(4);
    }

    public long u64() {
        return le(8);
    }

    public byte[] raw(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public byte[] bytes() {
        long n = u32();
        need(n);
        return raw((int) n);
    }

    /**
     * Go strings may hold any bytes; we refuse invalid UTF-8 so that every string we decode encodes back
     * to the same bytes (names feed hashes). Upstream peers only send ASCII here.
     */
    public String string() {
        byte[] raw = bytes();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw FeedException.malformed(what + ": a string is not valid UTF-8");
        }
    }

    /**
     * A slice's element count, refused when even {@code minElementSize} bytes per element cannot fit in
     * what remains.
     */
    public int count(int minElementSize) {
        long n = u32();
        need(n * Math.max(1, minElementSize));
        return (int) n;
    }

    /** Upstream's message and object decoders refuse leftovers ("incomplete decoding"). */
    public void end() {
        if (pos != end) {
            throw FeedException.malformed(what + ": " + (end - pos) + " trailing bytes (incomplete decoding)");
        }
    }

    private long le(int n) {
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (buf[pos++] & 0xffL) << (8 * i);
        }
        return v;
    }

    private void need(long n) {
        if (n > end - pos) {
            throw FeedException.truncated(what, n, end - pos);
        }
    }
}
