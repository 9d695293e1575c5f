package io.skychat.group;

import io.skychat.core.PeerKey;
import java.time.Instant;

/** The join proof of work (upstream {@code joincost.go}). */
public final class JoinPow {

    public static final int DEFAULT_BITS = 18;
    public static final int MAX_BITS = 26;
    public static final long MAX_SKEW_SECONDS = 600;

    private JoinPow() {
    }

    public static int clamp(int bits) {
        return Math.max(0, Math.min(bits, MAX_BITS));
    }

    public static long solve(GroupId group, PeerKey requester, long tsUnix, int bits) {
        throw new UnsupportedOperationException();
    }

    public static boolean verify(GroupId group, PeerKey requester, long tsUnix, long nonce, int bits, Instant now) {
        throw new UnsupportedOperationException();
    }

    public static byte[] digest(GroupId group, PeerKey requester, long tsUnix, long nonce) {
        throw new UnsupportedOperationException();
    }

    public static int leadingZeroBits(byte[] b) {
        throw new UnsupportedOperationException();
    }
}
