package io.skychat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BrowserSessionsTests {

    private static final class Ticking extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

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

    private final Ticking clock = new Ticking();

    @Test
    void aSessionIsValidUntilItExpiresOrIsClosed() {
        BrowserSessions sessions = new BrowserSessions(clock, Duration.ofHours(1), 8);
        String a = sessions.open();
        String b = sessions.open();
        assertThat(a).isNotEqualTo(b);
        assertThat(sessions.valid(a)).isTrue();
        sessions.close(a);
        assertThat(sessions.valid(a)).isFalse();
        assertThat(sessions.valid(b)).isTrue();
        clock.now = clock.now.plus(Duration.ofHours(1));
        assertThat(sessions.valid(b)).isFalse();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void unknownOrOversizedCookiesAreNotSessions() {
        BrowserSessions sessions = new BrowserSessions(clock, Duration.ofHours(1), 8);
        sessions.open();
        assertThat(sessions.valid(null)).isFalse();
        assertThat(sessions.valid("")).isFalse();
        assertThat(sessions.valid("x".repeat(10_000))).isFalse();
        assertThat(sessions.valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isFalse();
    }

    @Test
    void whenFullTheOldestSessionMakesRoom() {
        BrowserSessions sessions = new BrowserSessions(clock, Duration.ofHours(1), 3);
        List<String> opened = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            opened.add(sessions.open());
            clock.now = clock.now.plusSeconds(1);
        }
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.valid(opened.get(0))).isFalse();
        assertThat(sessions.valid(opened.get(1))).isFalse();
        assertThat(sessions.valid(opened.get(4))).isTrue();
    }
}
