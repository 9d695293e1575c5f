package io.skychat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.skychat.support.Keys;
import org.junit.jupiter.api.Test;

class PeerRateLimiterTests {

    private static final PeerKey ALICE = PeerKey.parse(Keys.ALICE_PK);
    private static final PeerKey BOB = PeerKey.parse(Keys.BOB_PK);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final PeerRateLimiter limiter = new PeerRateLimiter(20, 40, nanos::get);

    @Test
    void aBurstPassesThenTheRateHolds() {
        assertThat(IntStream.range(0, 50).filter(i -> limiter.tryAcquire(ALICE)).count()).isEqualTo(40);
        nanos.addAndGet(500_000_000L); // half a second refills ten
        assertThat(IntStream.range(0, 50).filter(i -> limiter.tryAcquire(ALICE)).count()).isEqualTo(10);
        nanos.addAndGet(50_000_000L);
        assertThat(limiter.tryAcquire(ALICE)).isTrue();
        assertThat(limiter.tryAcquire(ALICE)).isFalse();
    }

    @Test
    void reservingPacesAPeerOneTokenIntervalAtATime() {
        IntStream.range(0, 40).forEach(i -> assertThat(limiter.reserve(ALICE)).isZero());
        assertThat(limiter.reserve(ALICE)).isEqualTo(50_000_000L); // 20/s: the next token is 50 ms away
        assertThat(limiter.reserve(ALICE)).isEqualTo(100_000_000L); // and the one after that 100 ms
        nanos.addAndGet(100_000_000L);
        assertThat(limiter.reserve(ALICE)).isEqualTo(50_000_000L);
        assertThat(limiter.reserve(BOB)).isZero();
    }

    @Test
    void eachPeerHasItsOwnBucket() {
        IntStream.range(0, 40).forEach(i -> limiter.tryAcquire(ALICE));
        assertThat(limiter.tryAcquire(ALICE)).isFalse();
        assertThat(limiter.tryAcquire(BOB)).isTrue();
    }

    @Test
    void anIdlePeerRefillsOnlyToTheBurst() {
        IntStream.range(0, 40).forEach(i -> limiter.tryAcquire(ALICE));
        nanos.addAndGet(3_600_000_000_000L);
        assertThat(IntStream.range(0, 100).filter(i -> limiter.tryAcquire(ALICE)).count()).isEqualTo(40);
    }
}
