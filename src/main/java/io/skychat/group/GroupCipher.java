package io.skychat.group;

import io.skychat.group.GroupException.Reason;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM as upstream {@code group/crypto.go} uses it for private bodies and sealed governance: a random 12-byte
 * nonce per message, no associated data, the 16-byte tag appended to the ciphertext.
 */
final class GroupCipher {

    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private GroupCipher() {
    }

    static byte[] randomNonce() {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    static byte[] encrypt(GroupKey key, byte[] nonce, byte[] plaintext) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.bytes(), "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** DECRYPT_FAILED when the key is wrong or a byte was altered; the tag check cannot tell which. */
    static byte[] decrypt(GroupKey key, byte[] nonce, byte[] ciphertext) {
        if (nonce.length != NONCE_LENGTH) {
            throw new GroupException(Reason.DECRYPT_FAILED, "nonce must be " + NONCE_LENGTH + " bytes, got " + nonce.length);
        }
        if (ciphertext.length < TAG_LENGTH) {
            throw new GroupException(Reason.DECRYPT_FAILED, "ciphertext is shorter than its tag");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.bytes(), "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            return c.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new GroupException(Reason.DECRYPT_FAILED,
                    "body does not decrypt under the key of epoch " + key.epoch() + " (wrong key or altered bytes)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
