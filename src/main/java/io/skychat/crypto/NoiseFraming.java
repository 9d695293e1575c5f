package io.skychat.crypto;

import java.util.ArrayList;
import java.util.List;

/** The uint16 big-endian length prefix that carries every noise message and frame on the wire. */
public final class NoiseFraming {

    public static final int PREFIX_LENGTH = 2;

    private NoiseFraming() {
    }

    /** {@code uint16 BE length || message}; messages longer than upstream's reader accepts are refused. */
    public static byte[] prefix(byte[] message) {
        if (message.length > NoiseCipher.MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("noise message of " + message.length + " bytes exceeds maximum "
                    + NoiseCipher.MAX_FRAME_LENGTH + "B");
        }
        byte[] out = new byte[PREFIX_LENGTH + message.length];
        writeLength(out, message.length);
        System.arraycopy(message, 0, out, PREFIX_LENGTH, message.length);
        return out;
    }

    /** Reads a length prefix and checks it the way upstream's ReadRawFrame does. */
    public static int readLength(byte[] buf, int off) throws NoiseException {
        int length = ((buf[off] & 0xff) << 8) | (buf[off + 1] & 0xff);
        if (length > NoiseCipher.MAX_FRAME_LENGTH) {
            throw new NoiseException("noise prefix value " + length + "B exceeds maximum "
                    + NoiseCipher.MAX_FRAME_LENGTH + "B");
        }
        return length;
    }

    /**
     * Seals {@code payload} as upstream's Write does: chunks of at most {@link NoiseCipher#MAX_CHUNK}
     * bytes, each one prefixed frame. An empty payload yields no frames.
     */
    public static List<byte[]> sealAll(NoiseCipher cipher, byte[] payload) {
        List<byte[]> frames = new ArrayList<>(payload.length / NoiseCipher.MAX_CHUNK + 1);
        for (int off = 0; off < payload.length; off += NoiseCipher.MAX_CHUNK) {
            int len = Math.min(NoiseCipher.MAX_CHUNK, payload.length - off);
            byte[] frame = new byte[PREFIX_LENGTH + NoiseCipher.OVERHEAD + len];
            writeLength(frame, NoiseCipher.OVERHEAD + len);
            cipher.sealInto(payload, off, len, frame, PREFIX_LENGTH);
            frames.add(frame);
        }
        return frames;
    }

    /** Bytes on the wire for one frame carrying {@code plaintextLength} bytes (prefix, nonce, tag included). */
    public static int frameLength(int plaintextLength) {
        return PREFIX_LENGTH + NoiseCipher.OVERHEAD + plaintextLength;
    }

    /**
     * Seals {@code plaintext[off..off+len)} (at most {@link NoiseCipher#MAX_CHUNK} bytes) as one prefixed
     * frame into {@code out} at {@code outOff}, which needs {@link #frameLength(int) frameLength(len)} bytes.
     */
    public static void sealFrameInto(NoiseCipher cipher, byte[] plaintext, int off, int len, byte[] out, int outOff) {
        int body = NoiseCipher.OVERHEAD + len;
        java.util.Objects.checkFromIndexSize(outOff, PREFIX_LENGTH + body, out.length);
        out[outOff] = (byte) (body >>> 8);
        out[outOff + 1] = (byte) body;
        cipher.sealInto(plaintext, off, len, out, outOff + PREFIX_LENGTH);
    }

    private static void writeLength(byte[] out, int length) {
        out[0] = (byte) (length >>> 8);
        out[1] = (byte) length;
    }
}
