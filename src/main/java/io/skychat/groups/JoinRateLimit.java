package io.skychat.groups;

import java.time.Clock;
import java.time.Duration;

/** A token bucket per group (upstream: burst 10, one token per 10 min), in memory: a restart refills it. */
final class JoinRateLimit {

    private final Clock clock;
    private final int burst;
    private final long refillMillis;
    private double tokens;
    private long lastMillis;

    JoinRateLimit(Clock clock, int burst, Duration refill) {
        this.clock = clock;
        this.burst = burst;
        this.refillMillis = Math.max(1, refill.toMillis());
        this.tokens = burst;
        this.lastMillis = clock.millis();
    }

    /** Takes a token: 0 when there was one, else the seconds until the next one. */
    synchronized long take() {
        long now = clock.millis();
        tokens = Math.min(burst, tokens + (double) (now - lastMillis) / refillMillis);
        lastMillis = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) * refillMillis / 1000.0));
    }
}
