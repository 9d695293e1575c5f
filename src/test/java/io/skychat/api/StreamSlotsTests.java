package io.skychat.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamSlotsTests {

    @Test
    void pastTheCapAStreamIsRefusedAndCounted() {
        HttpStats stats = new HttpStats();
        StreamSlots slots = new StreamSlots(2, stats);
        StreamSlots.Slot first = slots.tryAcquire();
        assertThat(slots.tryAcquire()).isNotNull();
        assertThat(slots.tryAcquire()).isNull();
        assertThat(slots.tryAcquire()).isNull();
        assertThat(stats.streamsRefused).hasValue(2);
        assertThat(slots.open()).isEqualTo(2);

        first.release();
        assertThat(slots.tryAcquire()).isNotNull();
    }

    @Test
    void aSlotIsReleasedOnceHoweverManyWaysItsStreamEnds() {
        StreamSlots slots = new StreamSlots(2, new HttpStats());
        StreamSlots.Slot slot = slots.tryAcquire();
        slots.tryAcquire();
        slot.release(); // the connection closed
        slot.release(); // then the body was cancelled
        slot.release(); // and the write finished
        assertThat(slots.open()).isEqualTo(1);
        assertThat(slots.tryAcquire()).isNotNull();
        assertThat(slots.tryAcquire()).isNull();
    }
}
