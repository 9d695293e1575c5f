package io.skychat.pair;

import io.skychat.core.PeerKey;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * The dmsg port both sides of a pair listen on (upstream {@code pairing/ports.go}): SHA-256 over the two
 * keys sorted bytewise, first 4 bytes big-endian, mod 50000, plus 10000, walked forward past reserved ports.
 */
public final class PairPort {

    public static final int BASE = 10000;
    public static final int SPAN = 50000;
    /** skyenv's reserved dmsg ports (ctrl, ping, pty, setup, hypervisor, transport setup ×2, gRPC, CXO, http, DHT, await-setup, group probe). */
    public static final Set<Integer> RESERVED = Set.of(7, 8, 22, 36, 46, 47, 48, 49, 50, 80, 100, 136, 8060);

    private PairPort() {
    }

    public static int of(PeerKey a, PeerKey b) {
        return of(a, b, RESERVED);
    }

    /** Symmetric in {@code a} and {@code b}. */
    public static int of(PeerKey a, PeerKey b, Set<Integer> reserved) {
        PeerKey lo = a.compareTo(b) <= 0 ? a : b;
        PeerKey hi = lo == a ? b : a;
        long raw = Integer.toUnsignedLong(ByteBuffer.wrap(sha256(lo.toBytes(), hi.toBytes())).getInt());
        int candidate = BASE + (int) (raw % SPAN);
        for (int offset = 0; offset < SPAN; offset++) {
            // upstream adds in uint16, so the sum wraps at 65536 before the modulo
            int port = BASE + (((candidate - BASE) + offset) & 0xffff) % SPAN;
            if (!reserved.contains(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in [" + BASE + ", " + (BASE + SPAN) + ")");
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
