package io.skychat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class EventLogTests {

    private static final PeerKey ALICE = PeerKey.parse("024d9ec5ce7916e124f02b9df2cb802e3c2ce76c982d6bca45f82d62cb51867d66");
    private static final PeerKey BOB = PeerKey.parse("03fe8f6dcb225fc2cc352726fe98bde6c7fec9bc7fe94539874d9717d2cea2a8e3");
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    /** A journal that keeps nothing: these tests are about the live log. */
    private static final EventJournal NO_JOURNAL = new EventJournal() {
        @Override
        public void appendNow(List<EventRecord> records) {
        }

        @Override
        public List<EventRecord> loadNow(int limit) {
            return List.of();
        }

        @Override
        public void trimNow(int keep) {
        }
    };

    private final EventLog log = new EventLog(NO_JOURNAL, Runnable::run, Clock.fixed(NOW, ZoneOffset.UTC));

    private static ChatEvent message(int n) {
        return new ChatEvent.DirectMessage(new MessageId(String.format("%016x", n)), Direction.IN, ALICE, BOB,
                TransportKind.TCP_DIRECT, "m" + n, null, NOW);
    }

    @Test
    void everyStreamGetsTheSameEntrySoALineIsRenderedOnceForAll() {
        AtomicInteger renders = new AtomicInteger();
        Function<EventRecord, String> line = r -> {
            renders.incrementAndGet();
            return r.seq() + ":" + r.id();
        };
        log.record(message(1)); // replayed to both
        var a = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var b = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var subA = log.entriesSince(0, Set.of(EventRecord.DM)).map(e -> e.rendered(line)).subscribe(a::add);
        var subB = log.entriesSince(0, Set.of(EventRecord.DM)).map(e -> e.rendered(line)).subscribe(b::add);
        log.record(message(2)); // live to both
        log.record(message(3));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> a.size() == 3 && b.size() == 3);
        subA.dispose();
        subB.dispose();
        assertThat(a).containsExactly("1:" + String.format("%016x", 1), "2:" + String.format("%016x", 2),
                "3:" + String.format("%016x", 3));
        assertThat(b).isEqualTo(a);
        assertThat(renders.get()).isEqualTo(3);
    }

    @Test
    void sinceStillHandsOutPlainRecordsFilteredBySequence() {
        for (int i = 1; i <= 4; i++) {
            log.record(message(i));
        }
        List<Long> seqs = log.since(2, Set.of(EventRecord.DM)).take(2).map(EventRecord::seq).collectList()
                .block(Duration.ofSeconds(5));
        assertThat(seqs).containsExactly(3L, 4L);
    }
}
