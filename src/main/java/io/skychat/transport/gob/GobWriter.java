package io.skychat.transport.gob;

import java.util.Arrays;

/** A growable byte buffer that writes gob's uint and int encodings. */
final class GobWriter {

    private byte[] buf = new byte[64];
    private int size;

    int size() {
        return size;
    }

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void writeUint(long v) {
        if (v >= 0 && v < 0x80) {
            writeByte((int) v);
            return;
        }
        int n = (64 - Long.numberOfLeadingZeros(v) + 7) / 8;
        ensure(n + 1);
        buf[size++] = (byte) (256 - n);
        for (int i = n - 1; i >= 0; i--) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    void writeInt(long v) {
        writeUint(v < 0 ? (~v << 1) | 1 : v << 1);
    }

    void writeBytes(byte[] b) {
        writeUint(b.length);
        writeRaw(b, 0, b.length);
    }

    void writeRaw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
