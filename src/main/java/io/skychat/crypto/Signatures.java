package io.skychat.crypto;

import io.skychat.core.PeerKey;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * skycoin signatures: 65 bytes {@code r || s || recid} over SHA-256 of the payload, s always in the
 * lower half of the group order. Upstream signs with a random nonce; we use RFC 6979, which
 * verifies the same way and matches upstream byte for byte when upstream is given that nonce.
 */
public final class Signatures {

    public static final int LENGTH = 65;

    // Error texts of skycoin's cipher package, so logs read the same on both implementations.
    static final String ERR_LENGTH = "Invalid signature length";
    static final String ERR_RECOVER = "Failed to recover pubkey from signature";
    static final String ERR_MISMATCH = "Recovered pubkey does not match pubkey";
    static final String ERR_PUBKEY = "VerifySignatureRecoverPubKey, secp256k1.VerifyPubkey failed";
    static final String ERR_VALIDITY = "VerifySignatureRecoverPubKey, VerifySignatureValidity failed";
    static final String ERR_MESSAGE = "Invalid signature for this message";

    private Signatures() {
    }

    public static byte[] sign(byte[] payload, KeyPair key) {
        byte[] sk = key.secret();
        try {
            return signHash(Secp256k1.sha256(payload), sk);
        } finally {
            Arrays.fill(sk, (byte) 0);
        }
    }

    public static byte[] signHash(byte[] sha256, byte[] sk32) {
        if (sha256 == null || sha256.length != Secp256k1.HASH_LENGTH) {
            throw new IllegalArgumentException("hash must be 32 bytes");
        }
        if (isAllZero(sha256)) {
            throw new IllegalArgumentException("cannot sign a null hash"); // as upstream SignHash
        }
        BigInteger d = Secp256k1.scalar(sk32);
        BigInteger e = new BigInteger(1, sha256); // 256-bit hash against a 256-bit order: no truncation
        HMacDSAKCalculator nonces = new HMacDSAKCalculator(new SHA256Digest());
        nonces.init(Secp256k1.N, d, sha256);
        while (true) {
            BigInteger k = nonces.nextK();
            ECPoint bigR = Secp256k1.multiplyBase(k);
            BigInteger x = bigR.getAffineXCoord().toBigInteger();
            BigInteger r = x.mod(Secp256k1.N);
            if (r.signum() == 0) {
                continue;
            }
            BigInteger s = k.modInverse(Secp256k1.N).multiply(e.add(d.multiply(r))).mod(Secp256k1.N);
            if (s.signum() == 0) {
                continue;
            }
            int recid = (bigR.getAffineYCoord().toBigInteger().testBit(0) ? 1 : 0) | (x.compareTo(Secp256k1.N) >= 0 ? 2 : 0);
            if (s.compareTo(Secp256k1.HALF_N) > 0) {
                // -s verifies against -R, whose y has the other parity.
                s = Secp256k1.N.subtract(s);
                recid ^= 1;
            }
            byte[] sig = new byte[LENGTH];
            System.arraycopy(Secp256k1.to32(r), 0, sig, 0, 32);
            System.arraycopy(Secp256k1.to32(s), 0, sig, 32, 32);
            sig[64] = (byte) recid;
            return sig;
        }
    }

    /** Upstream VerifyPubKeySignedPayload: recover, compare, then check form and the ECDSA equation. */
    public static void verify(PeerKey pk, byte[] sig, byte[] payload) throws SignatureException {
        verifyHash(pk, sig, Secp256k1.sha256(payload));
    }

    /** Upstream VerifyPubKeySignedHash. */
    public static void verifyHash(PeerKey pk, byte[] sig, byte[] sha256) throws SignatureException {
        PeerKey recovered = recover(sig, sha256);
        if (!recovered.equals(pk)) {
            throw new SignatureException(ERR_MISMATCH);
        }
        ECPoint q = Secp256k1.decodeOrNull(pk.toBytes());
        if (q == null) {
            throw new SignatureException(ERR_PUBKEY);
        }
        if ((sig[32] & 0x80) != 0) {
            throw new SignatureException(ERR_VALIDITY); // high-S: malleable, upstream never produces it
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        BigInteger w = s.modInverse(Secp256k1.N);
        BigInteger u1 = new BigInteger(1, sha256).multiply(w).mod(Secp256k1.N);
        BigInteger u2 = r.multiply(w).mod(Secp256k1.N);
        ECPoint point = ECAlgorithms.sumOfTwoMultiplies(Secp256k1.G, u1, q, u2).normalize();
        if (point.isInfinity() || !point.getAffineXCoord().toBigInteger().mod(Secp256k1.N).equals(r)) {
            throw new SignatureException(ERR_MESSAGE);
        }
    }

    /** The public key that produced {@code sig} over {@code sha256}. */
    public static PeerKey recover(byte[] sig, byte[] sha256) throws SignatureException {
        if (sig == null || sig.length != LENGTH) {
            throw new SignatureException(ERR_LENGTH);
        }
        if (sha256 == null || sha256.length != Secp256k1.HASH_LENGTH) {
            throw new IllegalArgumentException("hash must be 32 bytes");
        }
        int recid = sig[64] & 0xff;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        if (recid > 3 || !inRange(r) || !inRange(s)) {
            throw new SignatureException(ERR_RECOVER);
        }
        // recid bit 1: R.x was r + n; bit 0: parity of R.y.
        BigInteger x = (recid & 2) != 0 ? r.add(Secp256k1.N) : r;
        if (x.compareTo(Secp256k1.P) >= 0) {
            throw new SignatureException(ERR_RECOVER);
        }
        byte[] encodedR = new byte[33];
        encodedR[0] = (byte) ((recid & 1) != 0 ? 0x03 : 0x02);
        System.arraycopy(Secp256k1.to32(x), 0, encodedR, 1, 32);
        ECPoint bigR = Secp256k1.decodeOrNull(encodedR);
        if (bigR == null) {
            throw new SignatureException(ERR_RECOVER);
        }
        // Q = r^-1 (s R - e G)
        BigInteger rInv = r.modInverse(Secp256k1.N);
        BigInteger u1 = new BigInteger(1, sha256).negate().multiply(rInv).mod(Secp256k1.N);
        BigInteger u2 = s.multiply(rInv).mod(Secp256k1.N);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(Secp256k1.G, u1, bigR, u2).normalize();
        if (q.isInfinity()) {
            throw new SignatureException(ERR_RECOVER);
        }
        return PeerKey.of(q.getEncoded(true));
    }

    private static boolean inRange(BigInteger v) {
        return v.signum() > 0 && v.compareTo(Secp256k1.N) < 0;
    }

    private static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }
}
