package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;

/**
 * The price of asking to join (upstream {@code joincost.go}): a nonce such that
 * {@code SHA-256("skychat:group-join-pow:v1" ‖ "|" ‖ group id (UUID text) ‖ "|" ‖ requester(33) ‖ BE64 ts_unix ‖
 * BE64 nonce)} has at least N leading zero bits, with ts within ±10 minutes of the verifier's clock. Solving costs
 * about 2^N hashes: run it off any event loop.
 */
public final class JoinPow {

    public static final int DEFAULT_BITS = 18;
    public static final int MAX_BITS = 26;
    public static final Duration WINDOW = Duration.ofMinutes(10);
    static final byte[] DOMAIN = "skychat:group-join-pow:v1".getBytes(StandardCharsets.US_ASCII);

    private JoinPow() {
    }

    /** What an untrusted difficulty (invite, challenge) is read as: at most {@link #MAX_BITS}. */
    public static int clamp(int bits) {
        return Math.max(0, Math.min(bits, MAX_BITS));
    }

    static byte[] preimage(GroupId group, PeerKey requester, long tsUnix, long nonce) {
        byte[] id = group.value().getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(DOMAIN.length + 1 + id.length + 1 + PeerKey.LENGTH + 16).put(DOMAIN).put((byte) '|')
                .put(id).put((byte) '|').put(requester.toBytes()).putLong(tsUnix).putLong(nonce).array();
    }

    public static byte[] digest(GroupId group, PeerKey requester, long tsUnix, long nonce) {
        return sha256().digest(preimage(group, requester, tsUnix, nonce));
    }

    /**
     * The first nonce from 1 up whose digest has {@code bits} leading zero bits (clamped to {@link #MAX_BITS});
     * 0 when no work is asked ({@code bits} 0), which is upstream's "no proof".
     */
    public static long solve(GroupId group, PeerKey requester, long tsUnix, int bits) {
        int want = clamp(bits);
        if (want == 0) {
            return 0;
        }
        byte[] buf = preimage(group, requester, tsUnix, 0);
        int at = buf.length - 8;
        MessageDigest sha = sha256();
        ByteBuffer view = ByteBuffer.wrap(buf);
        for (long nonce = 1; ; nonce++) {
            view.putLong(at, nonce);
            if (leadingZeroBits(sha.digest(buf)) >= want) {
                return nonce;
            }
        }
    }

    /** Upstream VerifyJoinPoW: true when no work is required, else a fresh enough proof of enough bits. */
    public static boolean verify(GroupId group, PeerKey requester, long tsUnix, long nonce, int bits, Instant now) {
        return refusal(group, requester, tsUnix, nonce, bits, now) == null;
    }

    /** {@link #verify} that says why: STALE for a timestamp outside the window, INSUFFICIENT_POW otherwise. */
    public static void check(GroupId group, PeerKey requester, long tsUnix, long nonce, int bits, Instant now) {
        String why = refusal(group, requester, tsUnix, nonce, bits, now);
        if (why != null) {
            throw new GroupException(why.startsWith("proof of work is outside") ? Reason.STALE : Reason.INSUFFICIENT_POW,
                    why + " (" + bits + " bits required)");
        }
    }

    private static String refusal(GroupId group, PeerKey requester, long tsUnix, long nonce, int bits, Instant now) {
        if (bits <= 0) {
            return null;
        }
        if (nonce == 0 && tsUnix == 0) {
            return "no proof of work";
        }
        long skew = now.getEpochSecond() - tsUnix;
        if (skew > WINDOW.toSeconds() || skew < -WINDOW.toSeconds()) {
            return "proof of work is outside the accepted time window of ±10 minutes";
        }
        if (leadingZeroBits(digest(group, requester, tsUnix, nonce)) < bits) {
            return "proof of work is too weak";
        }
        return null;
    }

    public static int leadingZeroBits(byte[] b) {
        int n = 0;
        for (byte x : b) {
            if (x != 0) {
                return n + Integer.numberOfLeadingZeros(x & 0xff) - 24;
            }
            n += 8;
        }
        return n;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
