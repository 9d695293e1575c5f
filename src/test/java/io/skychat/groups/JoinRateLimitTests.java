package io.skychat.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class JoinRateLimitTests {

    /** A clock the test moves. */
    private static final class Manual extends Clock {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");

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
    }

    @Test
    void tenAtOnceThenOnePerTenMinutesAndTheWaitIsSaid() {
        Manual clock = new Manual();
        JoinRateLimit limit = new JoinRateLimit(clock, 10, Duration.ofMinutes(10));
        for (int i = 0; i < 10; i++) {
            assertThat(limit.take()).as("request %d", i).isZero();
        }
        assertThat(limit.take()).isEqualTo(600);
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertThat(limit.take()).isEqualTo(360);
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        assertThat(limit.take()).isZero();
        assertThat(limit.take()).isPositive();
    }

    @Test
    void anIdleBucketRefillsToTheBurstAndNoFurther() {
        Manual clock = new Manual();
        JoinRateLimit limit = new JoinRateLimit(clock, 3, Duration.ofMinutes(10));
        for (int i = 0; i < 3; i++) {
            limit.take();
        }
        clock.now = clock.now.plus(Duration.ofDays(1));
        assertThat(limit.take()).isZero();
        assertThat(limit.take()).isZero();
        assertThat(limit.take()).isZero();
        assertThat(limit.take()).isPositive();
    }
}
