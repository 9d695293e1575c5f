package io.skychat.transport.visor;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** The 16 random bytes a visor gives each app process; the only credential on the app server port. */
public record ProcKey(byte[] bytes) {

    public static final int LENGTH = 16;
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    public ProcKey {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a proc key is " + LENGTH + " bytes");
        }
        bytes = bytes.clone();
    }

    /** 32 hex characters, either case (Go's hex decoder accepts both). */
    public static ProcKey parse(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a proc key is " + 2 * LENGTH + " hex characters, got "
                    + (hex == null ? "none" : hex.length()));
        }
        try {
            return new ProcKey(HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a proc key must be hex: " + hex);
        }
    }

    /** A key for an app we register ourselves, as {@code skywire-cli visor app register} picks one. */
    public static ProcKey random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new ProcKey(b);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case hex, as Go prints it; also the RPC service name of the app's calls. */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Only a prefix: the key is a credential and toString ends up in logs. */
    @Override
    public String toString() {
        return "ProcKey[" + hex().substring(0, 4) + "…]";
    }
}
