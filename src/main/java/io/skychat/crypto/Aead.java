package io.skychat.crypto;

import javax.crypto.AEADBadTagException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * ChaCha20-Poly1305 (RFC 8439) with a caller-chosen 12-byte nonce, as Go's
 * {@code x/crypto/chacha20poly1305} seals skychat pair messages. Noise uses {@link ChaChaPoly} instead.
 */
public final class Aead {

    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private Aead() {
    }

    /** Ciphertext followed by the 16-byte tag. */
    public static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] ad) {
        ChaCha20Poly1305 aead = init(true, key, nonce, ad);
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        int n = aead.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            aead.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail authentication", e);
        }
        return out;
    }

    /** The plaintext, or AEADBadTagException when the tag does not match (wrong key, altered bytes). */
    public static byte[] open(byte[] key, byte[] nonce, byte[] ciphertext, byte[] ad) throws AEADBadTagException {
        if (ciphertext.length < TAG_LENGTH) {
            throw new AEADBadTagException("ciphertext is shorter than its tag");
        }
        ChaCha20Poly1305 aead = init(false, key, nonce, ad);
        byte[] out = new byte[ciphertext.length - TAG_LENGTH];
        int n = aead.processBytes(ciphertext, 0, ciphertext.length, out, 0);
        try {
            aead.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new AEADBadTagException(e.getMessage());
        }
        return out;
    }

    private static ChaCha20Poly1305 init(boolean encrypt, byte[] key, byte[] nonce, byte[] ad) {
        if (key == null || key.length != KEY_LENGTH || nonce == null || nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("key is " + KEY_LENGTH + " bytes and nonce " + NONCE_LENGTH);
        }
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, ad));
        return aead;
    }
}
