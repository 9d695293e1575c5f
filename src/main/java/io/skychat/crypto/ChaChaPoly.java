package io.skychat.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** Noise's ChaChaPoly cipher functions: 96-bit nonce = 4 zero bytes || counter little-endian. */
final class ChaChaPoly {

    static final int KEY_LENGTH = 32;
    static final int TAG_LENGTH = 16;
    private static final int TAG_BITS = TAG_LENGTH * 8;

    private ChaChaPoly() {
    }

    static byte[] nonce(long n) {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        return nonce;
    }

    /** Parameters that reuse the key already loaded into the engine. */
    static AEADParameters withNonce(long n) {
        return new AEADParameters(null, TAG_BITS, nonce(n));
    }

    static AEADParameters withKey(byte[] key, long n, byte[] ad) {
        return new AEADParameters(new KeyParameter(key), TAG_BITS, nonce(n), ad);
    }

    static byte[] encrypt(byte[] key, long n, byte[] ad, byte[] plaintext) {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(true, withKey(key, n, ad));
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        int len = aead.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            aead.doFinal(out, len);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail authentication", e);
        }
        return out;
    }

    static byte[] decrypt(byte[] key, long n, byte[] ad, byte[] ciphertext) throws InvalidCipherTextException {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(false, withKey(key, n, ad));
        byte[] out = new byte[ciphertext.length - TAG_LENGTH];
        int len = aead.processBytes(ciphertext, 0, ciphertext.length, out, 0);
        aead.doFinal(out, len);
        return out;
    }

    /** Overwrites the key schedule held inside an engine (decrypt mode: no nonce-reuse check). */
    static void wipe(ChaCha20Poly1305 aead) {
        aead.init(false, withKey(new byte[KEY_LENGTH], 0, null));
    }
}
