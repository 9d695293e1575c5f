package io.skychat.group;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The per-group token bucket an admin spends a token from for each join request that costs it something (an
 * admission or a queue entry), as upstream {@code joincost.go}: a burst of 10, one token back every 10 minutes.
 * In memory by design: a restart costs an attacker the same burst it costs everyone. The clock is passed in.
 */
public final class JoinRateLimit {

    public static final int DEFAULT_BURST = 10;
    public static final Duration DEFAULT_REFILL = Duration.ofMinutes(10);
    /** At most this many undecided requests are queued per group; beyond it new ones are told to retry. */
    public static final int MAX_PENDING = 64;

    private final double burst;
    private final double refillNanos;
    private final Map<String, double[]> buckets = new HashMap<>(); // group id → {tokens, last unix nano}

    public JoinRateLimit() {
        this(DEFAULT_BURST, DEFAULT_REFILL);
    }

    public JoinRateLimit(int burst, Duration refill) {
        if (burst <= 0 || refill.isNegative() || refill.isZero()) {
            throw new IllegalArgumentException("burst and refill must be positive");
        }
        this.burst = burst;
        this.refillNanos = refill.toNanos();
    }

    /** Spends a token for {@code groupId}; empty when spent, else how long until the next token. */
    public synchronized Optional<Duration> tryAcquire(String groupId, Instant now) {
        double at = now.getEpochSecond() * 1e9 + now.getNano();
        double[] b = buckets.get(groupId);
        if (b == null) {
            buckets.put(groupId, new double[] {burst - 1, at});
            return Optional.empty();
        }
        if (at > b[1]) {
            b[0] = Math.min(burst, b[0] + (at - b[1]) / refillNanos);
            b[1] = at;
        }
        if (b[0] >= 1) {
            b[0] -= 1;
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) Math.ceil((1 - b[0]) * refillNanos)));
    }

    /** Drops a deleted group's bucket. */
    public synchronized void forget(String groupId) {
        buckets.remove(groupId);
    }
}
