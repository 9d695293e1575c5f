package io.skychat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;

import io.skychat.core.MessageId;
import org.junit.jupiter.api.Test;

class PercentilesTests {

    @Test
    void nearestRankOverAHundredSamples() {
        long[] samples = LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray(); // unsorted on purpose
        Percentiles p = Percentiles.of(samples);
        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50()).isEqualTo(50);
        assertThat(p.p99()).isEqualTo(99);
        assertThat(p.p999()).as("p99.9 of 100 samples is the largest").isEqualTo(100);
        assertThat(p.max()).isEqualTo(100);
        assertThat(samples[0]).as("the caller's array is left alone").isEqualTo(100);
    }

    @Test
    void oneSampleIsEveryPercentile() {
        Percentiles p = Percentiles.of(new long[] {42});
        assertThat(p).isEqualTo(new Percentiles(1, 42, 42, 42, 42));
    }

    @Test
    void aThousandSamplesSeparateTheTail() {
        long[] samples = LongStream.rangeClosed(1, 1000).toArray();
        Percentiles p = Percentiles.of(samples);
        assertThat(p.p50()).isEqualTo(500);
        assertThat(p.p99()).isEqualTo(990);
        assertThat(p.p999()).isEqualTo(999);
    }

    @Test
    void formatsMillisecondsWithThreeDecimals() {
        assertThat(new Percentiles(3, 71_000, 1_234_567, 2_000_000, 30_000_000).format())
                .isEqualTo("p50=0.071 ms  p99=1.235 ms  p99.9=2.000 ms  max=30.000 ms");
    }

    @Test
    void noSamplesOrABadQuantileAreRefused() {
        assertThatThrownBy(() -> Percentiles.of(new long[0])).hasMessage("no samples");
        assertThatThrownBy(() -> Percentiles.rank(new long[] {1}, 0)).hasMessageContaining("quantile");
    }

    @Test
    void messageIdsCarryTheirRunAndSequenceNumber() {
        AckedRuns.Ids ids = new AckedRuns.Ids(0xdeadbeefL);
        MessageId id = ids.id(0x01020304);
        assertThat(id.value()).isEqualTo("deadbeef01020304");
        assertThat(ids.seq(id)).isEqualTo(0x01020304);
        assertThat(new AckedRuns.Ids(0xfeedfaceL).seq(id)).as("another run's id").isEqualTo(-1);
        assertThat(ids.seq(ids.id(Integer.MAX_VALUE))).isEqualTo(Integer.MAX_VALUE);
    }
}
