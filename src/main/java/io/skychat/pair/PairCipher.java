package io.skychat.pair;

import io.skychat.core.PeerKey;
import io.skychat.crypto.Aead;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.Secp256k1;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * The legacy pair seal (upstream {@code pairing/crypto.go}): key = skycoin ECDH of the two identity keys,
 * leaf = {@code nonce(12) ‖ ChaCha20-Poly1305(plaintext)}, no associated data. Still needed to open old
 * leaves and to talk to a peer that never announces a ratchet.
 */
public final class PairCipher {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PairCipher() {
    }

    /** The same 32 bytes from either side: SHA-256 of the shared point. */
    public static byte[] staticKey(KeyPair me, PeerKey peer) {
        byte[] sk = me.secret();
        try {
            return Secp256k1.ecdh(sk, peer);
        } finally {
            Arrays.fill(sk, (byte) 0);
        }
    }

    public static byte[] seal(byte[] key, byte[] plaintext) {
        byte[] nonce = new byte[Aead.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return seal(key, nonce, plaintext);
    }

    /** With a given nonce: for vectors only; a nonce must never repeat under one key. */
    static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
        byte[] ct = Aead.seal(key, nonce, plaintext, null);
        byte[] out = Arrays.copyOf(nonce, nonce.length + ct.length);
        System.arraycopy(ct, 0, out, nonce.length, ct.length);
        return out;
    }

    public static byte[] open(byte[] key, byte[] sealed) {
        if (sealed.length < Aead.NONCE_LENGTH + Aead.TAG_LENGTH) {
            throw PairException.cannotOpen("ciphertext too short");
        }
        try {
            return Aead.open(key, Arrays.copyOf(sealed, Aead.NONCE_LENGTH),
                    Arrays.copyOfRange(sealed, Aead.NONCE_LENGTH, sealed.length), null);
        } catch (AEADBadTagException e) {
            throw PairException.cannotOpen("authentication failed (wrong key or altered bytes)");
        }
    }
}
