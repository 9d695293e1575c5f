package io.skychat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class OutboxBackoffTests {

    @Test
    void doublesFromTwoSecondsToTwoMinutesThenFromFiveMinutesToSixHours() {
        assertThat(Outbox.backoff(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Outbox.backoff(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Outbox.backoff(6)).isEqualTo(Duration.ofSeconds(64));
        assertThat(Outbox.backoff(7)).isEqualTo(Duration.ofMinutes(2));
        assertThat(Outbox.backoff(8)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Outbox.backoff(9)).isEqualTo(Duration.ofMinutes(10));
        assertThat(Outbox.backoff(14)).isEqualTo(Duration.ofMinutes(320));
        assertThat(Outbox.backoff(15)).isEqualTo(Duration.ofHours(6));
        assertThat(Outbox.backoff(1000)).isEqualTo(Duration.ofHours(6));
    }
}
