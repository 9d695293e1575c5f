package io.skychat.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * Slows down guessing: after {@link #MAX_FAILURES} wrong tokens or passwords from one address within
 * {@link #WINDOW}, that address is refused until the window ends, even with the right secret. Bounded in
 * the addresses it remembers; a success forgets the address.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
final class SignInThrottle {

    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_ADDRESSES = 4096;

    private record Failures(Instant since, int count) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxFailures;
    private final Duration window;

    SignInThrottle() {
        this(Clock.systemUTC(), MAX_FAILURES, WINDOW);
    }

    SignInThrottle(Clock clock, int maxFailures, Duration window) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
    }

    /** Zero when {@code address} may try; otherwise how long until it may. */
    Duration retryAfter(String address) {
        Failures f = failures.get(address);
        if (f == null || f.count() < maxFailures) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), f.since().plus(window));
        if (left.isNegative() || left.isZero()) {
            failures.remove(address, f);
            return Duration.ZERO;
        }
        return left;
    }

    void failed(String address) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
            failures.values().removeIf(f -> !f.since().plus(window).isAfter(now));
            if (failures.size() >= MAX_ADDRESSES) {
                failures.clear(); // forgetting is safer than refusing everyone
            }
        }
        failures.compute(address, (a, f) -> f == null || !f.since().plus(window).isAfter(now)
                ? new Failures(now, 1) : new Failures(f.since(), f.count() + 1));
    }

    void succeeded(String address) {
        failures.remove(address);
    }
}
