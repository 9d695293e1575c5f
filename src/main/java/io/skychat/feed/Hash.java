package io.skychat.feed;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest: an object's key, a schema or registry reference, a Root hash. All-zero means none. */
public record Hash(byte[] bytes) implements Comparable<Hash> {

    public static final int LENGTH = 32;
    public static final Hash ZERO = new Hash(new byte[LENGTH]);
    private static final HexFormat HEX = HexFormat.of();

    public Hash {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a hash is " + LENGTH + " bytes");
        }
        bytes = bytes.clone();
    }

    public static Hash of(byte[] data) {
        try {
            return new Hash(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static Hash parse(String hex) {
        return new Hash(HEX.parseHex(hex));
    }

    static Hash read(SkyReader in) {
        return new Hash(in.raw(LENGTH));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    void write(SkyWriter out) {
        out.raw(bytes);
    }

    @Override
    public int compareTo(Hash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
