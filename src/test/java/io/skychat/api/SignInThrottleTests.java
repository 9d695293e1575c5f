package io.skychat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class SignInThrottleTests {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void anAddressIsRefusedAfterTooManyFailuresUntilTheWindowEnds() {
        SignInThrottle throttle = new SignInThrottle(clock, 3, Duration.ofMinutes(1));
        for (int i = 0; i < 2; i++) {
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.retryAfter("10.0.0.1")).isZero();
        throttle.failed("10.0.0.1");
        now = now.plusSeconds(20);
        assertThat(throttle.retryAfter("10.0.0.1")).isEqualTo(Duration.ofSeconds(40));
        assertThat(throttle.retryAfter("10.0.0.2")).as("other addresses").isZero();
        now = now.plusSeconds(40);
        assertThat(throttle.retryAfter("10.0.0.1")).isZero();
    }

    @Test
    void aSuccessForgetsEarlierFailures() {
        SignInThrottle throttle = new SignInThrottle(clock, 3, Duration.ofMinutes(1));
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        throttle.succeeded("10.0.0.1");
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertThat(throttle.retryAfter("10.0.0.1")).isZero();
    }

    @Test
    void failuresOutsideTheWindowStartAFreshCount() {
        SignInThrottle throttle = new SignInThrottle(clock, 3, Duration.ofMinutes(1));
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        now = now.plusSeconds(61);
        throttle.failed("10.0.0.1");
        assertThat(throttle.retryAfter("10.0.0.1")).isZero();
    }
}
