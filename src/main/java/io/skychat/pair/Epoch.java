package io.skychat.pair;

import io.skychat.core.PeerKey;
import io.skychat.crypto.Hkdf;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.Secp256k1;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One forward-secret epoch of a pair (upstream {@code pairing/epoch.go}), formed by one ratchet key of
 * each side: id = SHA-256("skychat:pair-epoch:v1" ‖ lower key ‖ higher key)[0:8]; key =
 * HKDF-SHA256(ECDH(ratchet keys), salt = id, info = "skychat:pair-epoch:v1").
 */
public record Epoch(byte[] id, byte[] key) {

    public static final int ID_LENGTH = 8;
    static final byte[] INFO = "skychat:pair-epoch:v1".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    public Epoch {
        if (id.length != ID_LENGTH || key.length != 32) {
            throw new IllegalArgumentException("an epoch has an 8-byte id and a 32-byte key");
        }
        id = id.clone();
        key = key.clone();
    }

    /** Both sides get the same epoch: each from its own ratchet secret and the other's ratchet key. */
    public static Epoch derive(KeyPair myRatchet, PeerKey peerRatchet) {
        byte[] id = id(myRatchet.publicKey(), peerRatchet);
        byte[] secret = secret(myRatchet, peerRatchet);
        try {
            return new Epoch(id, Hkdf.sha256(secret, id, INFO, 32));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** skycoin ECDH of the two ratchet keys: the HKDF input. */
    static byte[] secret(KeyPair myRatchet, PeerKey peerRatchet) {
        byte[] sk = myRatchet.secret();
        try {
            return Secp256k1.ecdh(sk, peerRatchet);
        } finally {
            Arrays.fill(sk, (byte) 0);
        }
    }

    public static byte[] id(PeerKey a, PeerKey b) {
        PeerKey lo = a.compareTo(b) <= 0 ? a : b;
        PeerKey hi = lo == a ? b : a;
        return Arrays.copyOf(PairPort.sha256(INFO, lo.toBytes(), hi.toBytes()), ID_LENGTH);
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    public String idHex() {
        return HEX.formatHex(id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Epoch e && Arrays.equals(e.id, id) && Arrays.equals(e.key, key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    /** The id only: the key stays out of logs. */
    @Override
    public String toString() {
        return "Epoch[" + idHex() + "]";
    }
}
