package io.skychat.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** Noise SymmetricState with its CipherState, SHA-256 and ChaChaPoly (Noise spec section 5.2). */
final class SymmetricState {

    private static final int HASH_LENGTH = 32;
    private static final byte[] EMPTY = new byte[0];

    private byte[] h;
    private byte[] ck;
    private byte[] k; // null until the first MixKey
    private long n;

    SymmetricState(String protocolName) {
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : Secp256k1.sha256(name);
        ck = h.clone();
    }

    void mixHash(byte[] data) {
        h = Secp256k1.sha256(h, data);
    }

    /** Any input length works; with this DH it is always 33 bytes. */
    void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = hkdf(ck, inputKeyMaterial);
        wipe(ck);
        wipe(k);
        ck = out[0];
        k = out[1];
        n = 0;
    }

    boolean hasKey() {
        return k != null;
    }

    byte[] encryptAndHash(byte[] plaintext) {
        byte[] out = k == null ? plaintext.clone() : ChaChaPoly.encrypt(k, n++, h, plaintext);
        mixHash(out);
        return out;
    }

    byte[] decryptAndHash(byte[] ciphertext) throws InvalidCipherTextException {
        byte[] out = k == null ? ciphertext.clone() : ChaChaPoly.decrypt(k, n++, h, ciphertext);
        mixHash(ciphertext);
        return out;
    }

    /** k1, k2 = HKDF(ck, empty). */
    byte[][] split() {
        return hkdf(ck, EMPTY);
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    byte[] chainingKey() {
        return ck.clone();
    }

    /** Wipes ck and k; h stays, it is public channel-binding data. */
    void destroy() {
        wipe(ck);
        wipe(k);
        k = null;
    }

    private static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
        byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
        byte[] out1 = hmac(tempKey, new byte[] {1});
        byte[] out2 = hmac(tempKey, out1, new byte[] {2});
        wipe(tempKey);
        return new byte[][] {out1, out2};
    }

    private static byte[] hmac(byte[] key, byte[]... parts) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        for (byte[] part : parts) {
            mac.update(part, 0, part.length);
        }
        byte[] out = new byte[HASH_LENGTH];
        mac.doFinal(out, 0);
        return out;
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }
}
