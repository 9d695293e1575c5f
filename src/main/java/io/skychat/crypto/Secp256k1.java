package io.skychat.crypto;

import io.skychat.core.PeerKey;
import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** Curve operations as skycoin's cipher package defines them. */
public final class Secp256k1 {

    static final int SECRET_LENGTH = 32;
    static final int HASH_LENGTH = 32;

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    static final BigInteger N = CURVE.getN();
    static final BigInteger HALF_N = N.shiftRight(1);
    static final BigInteger P = CURVE.getCurve().getField().getCharacteristic();
    static final ECPoint G = CURVE.getG();
    private static final FixedPointCombMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

    private Secp256k1() {
    }

    /** True when the key is a point on the curve (PeerKey itself only checks length and prefix). */
    public static boolean isValidPublicKey(PeerKey pk) {
        return pk != null && decodeOrNull(pk.toBytes()) != null;
    }

    /**
     * skycoin {@code cipher.ECDH}: SHA-256 of the 33-byte compressed shared point {@code sk * pk}.
     * The point is hashed so callers never see a raw coordinate.
     */
    public static byte[] ecdh(byte[] sk32, PeerKey pk) {
        ECPoint point = decodeOrNull(pk.toBytes());
        if (point == null) {
            throw new IllegalArgumentException("public key " + pk.hex() + " is not a point on secp256k1");
        }
        return sha256(sharedPoint(scalar(sk32), point));
    }

    /** The compressed encoding of {@code d * point}; skycoin's secp256k1.ECDH (not hashed). */
    static byte[] sharedPoint(BigInteger d, ECPoint point) {
        return point.multiply(d).normalize().getEncoded(true);
    }

    static byte[] publicKeyBytes(BigInteger d) {
        return BASE_MULTIPLIER.multiply(G, d).normalize().getEncoded(true);
    }

    static ECPoint multiplyBase(BigInteger k) {
        return BASE_MULTIPLIER.multiply(G, k).normalize();
    }

    /** Decodes a 33-byte compressed key, or null when it is not a point on the curve. */
    static ECPoint decodeOrNull(byte[] compressed) {
        if (compressed == null || compressed.length != PeerKey.LENGTH
                || (compressed[0] != 0x02 && compressed[0] != 0x03)) {
            return null;
        }
        try {
            // decodePoint rejects x >= p and x without a square root, and checks the point is valid.
            ECPoint p = CURVE.getCurve().decodePoint(compressed);
            return p.isInfinity() ? null : p;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static boolean isValidSecret(byte[] sk) {
        if (sk == null || sk.length != SECRET_LENGTH) {
            return false;
        }
        BigInteger d = new BigInteger(1, sk);
        return d.signum() > 0 && d.compareTo(N) < 0;
    }

    /** The secret as a scalar; IllegalArgumentException (user-readable) when outside 0 < d < n. */
    static BigInteger scalar(byte[] sk) {
        if (sk == null || sk.length != SECRET_LENGTH) {
            throw new IllegalArgumentException("secret key must be " + SECRET_LENGTH + " bytes, got "
                    + (sk == null ? "none" : sk.length));
        }
        if (!isValidSecret(sk)) {
            throw new IllegalArgumentException("secret key is out of range: it must be greater than zero"
                    + " and less than the secp256k1 group order");
        }
        return new BigInteger(1, sk);
    }

    /** Fixed-width big-endian encoding of a value below 2^256. */
    static byte[] to32(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    static byte[] sha256(byte[]... parts) {
        SHA256Digest digest = new SHA256Digest();
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[HASH_LENGTH];
        digest.doFinal(out, 0);
        return out;
    }
}
