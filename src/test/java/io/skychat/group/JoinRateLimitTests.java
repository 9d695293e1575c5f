package io.skychat.group;

import static io.skychat.group.GroupFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The join token bucket: burst 10, one token per 10 minutes, per group. */
class JoinRateLimitTests {

    @Test
    void aBurstOfTenThenOneTokenEveryTenMinutes() {
        JoinRateLimit limit = new JoinRateLimit();
        for (int i = 0; i < 10; i++) {
            assertThat(limit.tryAcquire("g", NOW)).as("request %d", i).isEmpty();
        }
        assertThat(limit.tryAcquire("g", NOW)).contains(Duration.ofMinutes(10));
        assertThat(limit.tryAcquire("g", NOW.plus(Duration.ofMinutes(4)))).contains(Duration.ofMinutes(6));
        assertThat(limit.tryAcquire("g", NOW.plus(Duration.ofMinutes(10)))).isEmpty();
        assertThat(limit.tryAcquire("g", NOW.plus(Duration.ofMinutes(10)))).isPresent();
    }

    @Test
    void groupsHaveTheirOwnBucketsAndAForgottenGroupStartsFull() {
        JoinRateLimit limit = new JoinRateLimit(1, Duration.ofMinutes(10));
        assertThat(limit.tryAcquire("a", NOW)).isEmpty();
        assertThat(limit.tryAcquire("a", NOW)).isPresent();
        assertThat(limit.tryAcquire("b", NOW)).isEmpty();
        limit.forget("a");
        assertThat(limit.tryAcquire("a", NOW)).isEmpty();
    }

    @Test
    void theBucketNeverHoldsMoreThanTheBurst() {
        JoinRateLimit limit = new JoinRateLimit(2, Duration.ofMinutes(10));
        limit.tryAcquire("g", NOW);
        Duration day = Duration.ofDays(1);
        assertThat(limit.tryAcquire("g", NOW.plus(day))).isEmpty();
        assertThat(limit.tryAcquire("g", NOW.plus(day))).isEmpty();
        assertThat(limit.tryAcquire("g", NOW.plus(day))).isPresent();
    }
}
