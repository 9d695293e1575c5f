package io.skychat.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.skychat.core.PeerKey;
import io.skychat.pairs.PairRecord;
import io.skychat.pairs.PairStatus;
import io.skychat.pairs.PairText;
import io.skychat.support.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlitePairStoreTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final PeerKey BOB = PeerKey.parse(Keys.BOB_PK);
    private static final PeerKey CAROL = PeerKey.parse(Keys.CAROL_PK);
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00.123456789Z");

    @TempDir
    Path dir;

    @Test
    void recordsAndTheirRatchetSurviveAReopenAndASaveDoesNotTouchTheRatchet() {
        Path file = dir.resolve("pairs.db");
        try (SqliteDatabase db = SqliteDatabase.openNow(file)) {
            SqlitePairStore store = new SqlitePairStore(db, Clock.systemUTC());
            PairRecord r = PairRecord.fresh(BOB, PairStatus.PENDING_OUT, T0);
            store.save(r).block(WAIT);
            store.saveRatchet(BOB, "{\"generation\":2}").block(WAIT);
            store.save(r.withStatus(PairStatus.ACTIVE, T0.plusSeconds(5))).block(WAIT); // r holds no ratchet
            store.save(PairRecord.fresh(CAROL, PairStatus.PENDING_IN, T0.plusSeconds(1))).block(WAIT);
        }
        try (SqliteDatabase db = SqliteDatabase.openNow(file)) {
            SqlitePairStore store = new SqlitePairStore(db, Clock.systemUTC());
            List<PairRecord> all = store.all().block(WAIT);
            assertThat(all).extracting(PairRecord::peer).containsExactly(BOB, CAROL);
            PairRecord bob = store.find(BOB).block(WAIT);
            assertThat(bob.status()).isEqualTo(PairStatus.ACTIVE);
            assertThat(bob.establishedAt()).isEqualTo(T0.plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(bob.ratchet()).isEqualTo("{\"generation\":2}");
            assertThat(store.find(CAROL).block(WAIT).invitedAt()).isNotNull();
            assertThat(store.find(PeerKey.parse(Keys.ALICE_PK)).block(WAIT)).isNull();
        }
    }

    @Test
    void aMessageIsRecordedOnceAndTheInboxKeepsTheNewestOldestFirst() {
        try (SqliteDatabase db = SqliteDatabase.openNow(dir.resolve("pairs.db"))) {
            SqlitePairStore store = new SqlitePairStore(db, Clock.systemUTC());
            store.save(PairRecord.fresh(BOB, PairStatus.ACTIVE, T0)).block(WAIT);
            for (int i = 0; i < 5; i++) {
                PairText t = new PairText(BOB, "id-" + i, false, "m" + i, T0.plusNanos(i));
                assertThat(store.record(t).block(WAIT)).isTrue();
                assertThat(store.record(t).block(WAIT)).isFalse();
            }
            store.record(new PairText(BOB, "id-out", true, "mine", T0.plusNanos(9))).block(WAIT);
            assertThat(store.inbox(null, 100).block(WAIT)).extracting(PairText::text)
                    .containsExactly("m0", "m1", "m2", "m3", "m4");
            assertThat(store.inbox(null, 2).block(WAIT)).extracting(PairText::text).containsExactly("m3", "m4");
            assertThat(store.inbox(T0.plusNanos(2), 100).block(WAIT)).extracting(PairText::text).containsExactly("m3", "m4");
            assertThat(store.inbox(null, 1).block(WAIT).get(0).ts()).isEqualTo(T0.plusNanos(4));
            assertThat(store.delete(BOB, "id-3", false).block(WAIT)).isTrue();
            assertThat(store.delete(BOB, "id-3", false).block(WAIT)).isFalse();
            assertThat(store.inbox(null, 100).block(WAIT)).extracting(PairText::text).containsExactly("m0", "m1", "m2", "m4");
            assertThat(store.find(BOB).block(WAIT).lastMessageAt()).isNotNull();
        }
    }
}
