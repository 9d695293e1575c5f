package io.skychat.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;

/**
 * Transport phase after a handshake, framed as upstream does: {@code uint64 BE explicit nonce ||
 * ciphertext || tag}, no associated data, nonces counting from 1 per direction. Sending and
 * receiving are independent; each direction must be used by one thread at a time.
 */
public final class NoiseCipher {

    /** Largest value of the uint16 length prefix upstream's reader accepts (4096 - 2). */
    public static final int MAX_FRAME_LENGTH = 4094;
    /** 8-byte explicit nonce and 16-byte tag. */
    public static final int OVERHEAD = 8 + ChaChaPoly.TAG_LENGTH;
    /** Most plaintext one frame carries; upstream's writer splits larger writes at this size. */
    public static final int MAX_CHUNK = MAX_FRAME_LENGTH - OVERHEAD;

    private static final int NONCE_LENGTH = 8;

    private final ChaCha20Poly1305 sender = new ChaCha20Poly1305();
    private final ChaCha20Poly1305 receiver = new ChaCha20Poly1305();
    private long lastSent;      // unsigned; the first frame carries 1
    private long lastReceived;  // unsigned; highest nonce that passed authentication
    private volatile boolean destroyed;

    /** Loads both keys into their engines; the caller keeps (and wipes) its arrays. */
    NoiseCipher(byte[] sendKey, byte[] receiveKey) {
        if (sendKey.length != ChaChaPoly.KEY_LENGTH || receiveKey.length != ChaChaPoly.KEY_LENGTH) {
            throw new IllegalArgumentException("transport keys must be 32 bytes");
        }
        // Nonce 0 is never used for a frame, so loading the keys with it cannot collide with one.
        sender.init(true, ChaChaPoly.withKey(sendKey, 0, null));
        receiver.init(false, ChaChaPoly.withKey(receiveKey, 0, null));
    }

    public byte[] seal(byte[] plaintext) {
        return seal(plaintext, 0, plaintext.length);
    }

    /** Returns {@code explicitNonce || ciphertext || tag}; at most {@link #MAX_CHUNK} bytes of plaintext. */
    public byte[] seal(byte[] plaintext, int off, int len) {
        byte[] out = new byte[OVERHEAD + len];
        sealInto(plaintext, off, len, out, 0);
        return out;
    }

    /** Writes the sealed frame body into {@code out} at {@code outOff}; needs {@code OVERHEAD + len} bytes. */
    void sealInto(byte[] plaintext, int off, int len, byte[] out, int outOff) {
        Objects.checkFromIndexSize(off, len, plaintext.length);
        Objects.checkFromIndexSize(outOff, OVERHEAD + len, out.length);
        if (len > MAX_CHUNK) {
            throw new IllegalArgumentException("noise frame plaintext of " + len + " bytes exceeds " + MAX_CHUNK);
        }
        checkAlive();
        if (lastSent == -1L) {
            throw new IllegalStateException("send nonces exhausted; the connection must be re-established");
        }
        long nonce = ++lastSent;
        for (int i = 0; i < NONCE_LENGTH; i++) {
            out[outOff + i] = (byte) (nonce >>> (8 * (NONCE_LENGTH - 1 - i)));
        }
        sender.init(true, ChaChaPoly.withNonce(nonce));
        int written = sender.processBytes(plaintext, off, len, out, outOff + NONCE_LENGTH);
        try {
            sender.doFinal(out, outOff + NONCE_LENGTH + written);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail authentication", e);
        }
    }

    /**
     * Authenticates and decrypts one frame body. The nonce must be larger than the last accepted
     * one (gaps are fine, replays and reordering are not); a rejected frame does not move it.
     */
    public byte[] open(byte[] frameBody) throws NoiseException {
        long nonce = checkedNonce(frameBody, 0, frameBody == null ? 0 : frameBody.length);
        checkOrder(nonce);
        byte[] out = new byte[frameBody.length - OVERHEAD];
        decryptInto(frameBody, 0, frameBody.length, nonce, out, 0);
        lastReceived = nonce;
        return out;
    }

    /**
     * As {@link #open}, for a frame body at {@code in[inOff..inOff+len)}, decrypting into {@code out} at
     * {@code outOff} (which needs {@code len - OVERHEAD} bytes); returns the plaintext length. On failure
     * {@code out} holds no plaintext.
     */
    public int openInto(byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
        long nonce = checkedNonce(in, inOff, len);
        checkOrder(nonce);
        Objects.checkFromIndexSize(outOff, len - OVERHEAD, out.length);
        decryptInto(in, inOff, len, nonce, out, outOff);
        lastReceived = nonce;
        return len - OVERHEAD;
    }

    private void checkOrder(long nonce) throws NoiseException {
        if (Long.compareUnsigned(nonce, lastReceived) <= 0) {
            throw new NoiseException("received decryption nonce (" + Long.toUnsignedString(nonce)
                    + ") is not larger than previous (" + Long.toUnsignedString(lastReceived) + ")");
        }
    }

    /**
     * Authenticates and decrypts one frame body whatever its nonce, and leaves the replay check of
     * {@link #open} alone. Only for dmsg's session objects: upstream opens those with a nonce map it never
     * fills, and objects of different streams of one session may arrive in another order than sealed.
     */
    public byte[] openAnyOrder(byte[] frameBody) throws NoiseException {
        long nonce = checkedNonce(frameBody, 0, frameBody == null ? 0 : frameBody.length);
        byte[] out = new byte[frameBody.length - OVERHEAD];
        decryptInto(frameBody, 0, frameBody.length, nonce, out, 0);
        return out;
    }

    private long checkedNonce(byte[] frameBody, int off, int len) throws NoiseException {
        Objects.requireNonNull(frameBody, "frameBody");
        Objects.checkFromIndexSize(off, len, frameBody.length);
        checkAlive();
        if (len < OVERHEAD) {
            throw new NoiseException("noise frame of " + len + " bytes is shorter than the "
                    + OVERHEAD + "-byte nonce and tag");
        }
        if (len > MAX_FRAME_LENGTH) {
            throw new NoiseException("noise frame of " + len + " bytes exceeds maximum "
                    + MAX_FRAME_LENGTH + "B");
        }
        long nonce = 0;
        for (int i = 0; i < NONCE_LENGTH; i++) {
            nonce = (nonce << 8) | (frameBody[off + i] & 0xff);
        }
        return nonce;
    }

    private void decryptInto(byte[] in, int inOff, int len, long nonce, byte[] out, int outOff) throws NoiseException {
        receiver.init(false, ChaChaPoly.withNonce(nonce));
        try {
            int written = receiver.processBytes(in, inOff + NONCE_LENGTH, len - NONCE_LENGTH, out, outOff);
            receiver.doFinal(out, outOff + written);
        } catch (InvalidCipherTextException e) {
            Arrays.fill(out, outOff, outOff + len - OVERHEAD, (byte) 0); // may hold unauthenticated plaintext
            throw new NoiseException("noise frame with nonce " + Long.toUnsignedString(nonce)
                    + " failed authentication (wrong key, or the frame was altered)");
        }
    }

    /** Overwrites both key schedules; call after both directions have stopped. */
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        ChaChaPoly.wipe(sender);
        ChaChaPoly.wipe(receiver);
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("noise cipher was destroyed");
        }
    }
}
