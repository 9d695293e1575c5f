package io.skychat.crypto;

import io.skychat.core.PeerKey;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A secp256k1 key pair: 32-byte secret scalar and its compressed public key. The secret is wiped
 * by {@link #destroy()}; afterwards every use of the secret fails.
 */
public final class KeyPair {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] secret;
    private final PeerKey publicKey;
    private volatile boolean destroyed;

    /** Takes ownership of {@code secret}, which must already be valid. */
    private KeyPair(byte[] secret) {
        this.secret = secret;
        this.publicKey = PeerKey.of(Secp256k1.publicKeyBytes(new BigInteger(1, secret)));
    }

    public static KeyPair generate() {
        byte[] sk = new byte[Secp256k1.SECRET_LENGTH];
        do {
            RANDOM.nextBytes(sk);
        } while (!Secp256k1.isValidSecret(sk));
        return new KeyPair(sk);
    }

    /** Validates {@code 0 < sk < n}; the exception message is fit to show a user. */
    public static KeyPair fromSecret(byte[] sk32) {
        Secp256k1.scalar(sk32);
        return new KeyPair(sk32.clone());
    }

    public static KeyPair fromSecretHex(String hex64) {
        if (hex64 == null || hex64.isBlank()) {
            throw new IllegalArgumentException("secret key is empty");
        }
        String s = hex64.strip();
        if (s.length() != Secp256k1.SECRET_LENGTH * 2) {
            throw new IllegalArgumentException("secret key must be 64 hex characters, got " + s.length());
        }
        byte[] raw;
        try {
            raw = HEX.parseHex(s.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret key is not hex");
        }
        try {
            return fromSecret(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** skycoin {@code cipher.GenerateDeterministicKeyPair(seed)}; the seed must not be empty. */
    public static KeyPair deterministic(byte[] seed) {
        return new KeyPair(DeterministicKeys.derive(seed).secret());
    }

    public PeerKey publicKey() {
        return publicKey;
    }

    /** A copy of the 32-byte secret; the caller should wipe it when done. */
    public byte[] secret() {
        checkAlive();
        return secret.clone();
    }

    public String secretHex() {
        checkAlive();
        return HEX.formatHex(secret);
    }

    /** The secret as a scalar, for the curve operations in this package. */
    BigInteger scalar() {
        checkAlive();
        return new BigInteger(1, secret);
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    public void destroy() {
        destroyed = true;
        Arrays.fill(secret, (byte) 0);
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("key pair " + publicKey.hex() + " was destroyed");
        }
    }

    /** Shows the public key only, so a logged key pair never leaks its secret. */
    @Override
    public String toString() {
        return "KeyPair[" + publicKey.hex() + "]";
    }
}
