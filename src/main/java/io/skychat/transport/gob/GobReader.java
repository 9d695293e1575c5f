package io.skychat.transport.gob;

import java.util.Arrays;

/** A bounds-checked cursor over one gob message; every read fails with {@link GobException}, never past the end. */
final class GobReader {

    private final byte[] buf;
    private int pos;
    private final int limit;

    GobReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    int remaining() {
        return limit - pos;
    }

    int position() {
        return pos;
    }

    /** gob uint: one byte below 0x80, else a byte holding the negated count (1..8) of big-endian bytes that follow. */
    long readUint(String what) {
        if (pos >= limit) {
            throw GobException.truncated(what);
        }
        int b = buf[pos++] & 0xff;
        if (b < 0x80) {
            return b;
        }
        int n = 256 - b;
        if (n > 8) {
            throw GobException.malformed("bad uint prefix 0x" + Integer.toHexString(b) + " in " + what);
        }
        if (limit - pos < n) {
            throw GobException.truncated(what);
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        return v;
    }

    /** gob int: the sign lives in the low bit, the magnitude (complemented when negative) in the rest. */
    long readInt(String what) {
        long u = readUint(what);
        return (u & 1) != 0 ? ~(u >>> 1) : u >>> 1;
    }

    /** A uint used as a count or length: it must fit in what is left, at {@code minBytesEach} bytes per item. */
    int readCount(String what, int minBytesEach) {
        long n = readUint(what);
        if (Long.compareUnsigned(n, remaining() / minBytesEach) > 0) {
            throw GobException.malformed(what + " " + Long.toUnsignedString(n) + " is larger than the "
                    + remaining() + " bytes left in the message");
        }
        return (int) n;
    }

    byte[] readBytes(String what) {
        return slice(readCount(what + " length", 1));
    }

    /** The next {@code n} bytes, which the caller has already checked are there. */
    byte[] slice(int n) {
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** Type ids are gob ints; anything outside int range cannot name a type. */
    int readTypeId(String what) {
        long id = readInt(what);
        if (id < Integer.MIN_VALUE + 1 || id > Integer.MAX_VALUE) {
            throw GobException.malformed(what + " " + id + " is out of range");
        }
        return (int) id;
    }

    /** Like {@link #readUint} but without moving, for a length prefix that may not have arrived yet; -1 when incomplete. */
    static long peekUint(byte[] buf, int pos, int limit, int[] width) {
        if (pos >= limit) {
            return -1;
        }
        int b = buf[pos] & 0xff;
        if (b < 0x80) {
            width[0] = 1;
            return b;
        }
        int n = 256 - b;
        if (n > 8) {
            throw GobException.malformed("bad message length prefix 0x" + Integer.toHexString(b));
        }
        if (limit - pos - 1 < n) {
            return -1;
        }
        long v = 0;
        for (int i = 1; i <= n; i++) {
            v = (v << 8) | (buf[pos + i] & 0xff);
        }
        width[0] = n + 1;
        return v;
    }
}
