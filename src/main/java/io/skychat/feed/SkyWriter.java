package io.skychat.feed;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The write half of skycoin's {@code cipher/encoder}: little-endian integers, u32-length-prefixed byte
 * slices and strings, fixed arrays raw. Struct fields are written in declaration order by the caller.
 */
public final class SkyWriter {

    private byte[] buf;
    private int size;

    public SkyWriter() {
        this(64);
    }

    public SkyWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public SkyWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public SkyWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public SkyWriter u16(int v) {
        return le(v & 0xffffL, 2);
    }

    public SkyWriter u32(long v) {
        if (v < 0 || v > 0xffff_ffffL) {
            throw new IllegalArgumentException("u32 out of range: " + v);
        }
        return le(v, 4);
    }

    /** Writes all 64 bits; Java's signed long carries Go's uint64 and int64 alike. */
    public SkyWriter u64(long v) {
        return le(v, 8);
    }

    /** A fixed-size array ({@code [N]byte}): no prefix. */
    public SkyWriter raw(byte[] v) {
        ensure(v.length);
        System.arraycopy(v, 0, buf, size, v.length);
        size += v.length;
        return this;
    }

    /** A {@code []byte}: u32 length, then the bytes. */
    public SkyWriter bytes(byte[] v) {
        u32(v.length);
        return raw(v);
    }

    public SkyWriter string(String v) {
        return bytes(v.getBytes(StandardCharsets.UTF_8));
    }

    /** The u32 element count that starts every other slice. */
    public SkyWriter count(int n) {
        return u32(n);
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private SkyWriter le(long v, int n) {
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
