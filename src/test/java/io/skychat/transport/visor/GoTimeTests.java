package io.skychat.transport.visor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.transport.gob.GobValue;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** time.Time as gob carries it in DeadlineReq; the recorded deadlines are in AppRpcVectorTests. */
class GoTimeTests {

    private static byte[] goTime(int version, long secSinceYear1, int nanos, short offsetMinutes) {
        ByteBuffer b = ByteBuffer.allocate(version == 1 ? 15 : 16);
        b.put((byte) version).putLong(secSinceYear1).putInt(nanos).putShort(offsetMinutes);
        if (version == 2) {
            b.put((byte) 30); // offset seconds, which only version 2 has
        }
        return b.array();
    }

    @Test
    void aZoneOffsetDoesNotMoveTheInstant() {
        Instant t = Instant.parse("2030-01-02T03:04:05.6Z");
        long sec = t.getEpochSecond() + AppValues.GO_EPOCH_TO_UNIX;
        assertThat(AppValues.goTime(goTime(1, sec, t.getNano(), (short) 120))).isEqualTo(t);
        assertThat(AppValues.goTime(goTime(2, sec, t.getNano(), (short) -300))).isEqualTo(t);
        assertThat(AppValues.goTime(AppValues.goTime(t))).isEqualTo(t);
    }

    @Test
    void goZeroTimeMeansNoDeadline() {
        GobValue v = GobValue.Struct.builder("DeadlineReq")
                .put("ConnID", new GobValue.Uint(1))
                .put("Deadline", new GobValue.Marshaled("Time", goTime(1, 0, 0, (short) -1)))
                .build();
        assertThat(DeadlineReq.fromGob(v)).isEqualTo(new DeadlineReq(1, Optional.empty()));
    }

    @Test
    void malformedTimesAreRefused() {
        assertThatThrownBy(() -> AppValues.goTime(new byte[] {1, 2, 3})).isInstanceOf(AppProtocolException.class)
                .hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> AppValues.goTime(goTime(1, Long.MAX_VALUE, 0, (short) -1)))
                .isInstanceOf(AppProtocolException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> AppValues.goTime(goTime(1, 0, 1_000_000_000, (short) -1)))
                .isInstanceOf(AppProtocolException.class).hasMessageContaining("nanoseconds");
    }
}
