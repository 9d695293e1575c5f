package io.skychat.core;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A peer's identity: a 33-byte SEC1-compressed secp256k1 public key, written as 66 lower-case hex
 * characters. This type checks shape only (length and prefix byte); whether the point lies on the
 * curve is checked by the crypto layer when the key is first used.
 */
public final class PeerKey implements Comparable<PeerKey> {

    public static final int LENGTH = 33;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final String hex;

    private PeerKey(byte[] bytes) {
        this.bytes = bytes;
        this.hex = HEX.formatHex(bytes);
    }

    public static PeerKey of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("public key must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        if (bytes[0] != 0x02 && bytes[0] != 0x03) {
            throw new IllegalArgumentException("public key must be compressed (02/03 prefix)");
        }
        return new PeerKey(bytes.clone());
    }

    /** Parses 66 hex characters; the message of the exception is fit to show a user. */
    public static PeerKey parse(String hex) {
        if (hex == null || hex.isBlank()) {
            throw new IllegalArgumentException("public key is empty");
        }
        String s = hex.strip();
        if (s.length() != LENGTH * 2) {
            throw new IllegalArgumentException("public key must be 66 hex characters, got " + s.length());
        }
        byte[] raw;
        try {
            raw = HEX.parseHex(s.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public key is not hex: " + e.getMessage());
        }
        return of(raw);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String hex() {
        return hex;
    }

    @Override
    public int compareTo(PeerKey other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex;
    }
}
