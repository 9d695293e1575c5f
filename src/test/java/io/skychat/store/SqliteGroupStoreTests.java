package io.skychat.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.skychat.core.Direction;
import io.skychat.core.PeerKey;
import io.skychat.groups.GroupRecord;
import io.skychat.groups.GroupText;
import io.skychat.groups.JoinRequestView;
import io.skychat.support.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteGroupStoreTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final PeerKey ALICE = PeerKey.parse(Keys.ALICE_PK);
    private static final PeerKey BOB = PeerKey.parse(Keys.BOB_PK);
    private static final PeerKey CAROL = PeerKey.parse(Keys.CAROL_PK);
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00.123Z");
    private static final String G1 = "7f1c6a52-3c1e-4e0a-9d55-0b1f7e3a9c11";
    private static final String G2 = "0a4b2d8e-91f3-4c7a-b6e2-5d9c1f0e8a22";

    @TempDir
    Path dir;

    private static GroupRecord record(String id, Instant created) {
        return new GroupRecord(id, "friends", "private", ALICE, 12345, 18, "active", List.of(ALICE, BOB),
                "{\"gov\":1}", "[{\"epoch\":1,\"key\":\"00\"}]", created, created, null);
    }

    private static GroupText text(String group, PeerKey sender, long tsNano, long seq, Direction dir, String body) {
        return new GroupText(sender.hex() + "-" + tsNano + "-" + seq, group, sender, body,
                Instant.ofEpochSecond(0, tsNano), tsNano, dir);
    }

    @Test
    void recordsSurviveAReopenWithTheirStateAndAdmissionList() {
        Path file = dir.resolve("groups.db");
        try (SqliteDatabase db = SqliteDatabase.openNow(file)) {
            SqliteGroupStore store = new SqliteGroupStore(db, Clock.systemUTC());
            store.save(record(G1, T0)).block(WAIT);
            store.save(record(G2, T0.plusSeconds(1)).withStatus("awaiting_approval")).block(WAIT);
            store.save(record(G1, T0).withState("{\"gov\":2}", "[]").withStatus("left")).block(WAIT);
        }
        try (SqliteDatabase db = SqliteDatabase.openNow(file)) {
            SqliteGroupStore store = new SqliteGroupStore(db, Clock.systemUTC());
            assertThat(store.all().block(WAIT)).extracting(GroupRecord::id).containsExactly(G1, G2);
            GroupRecord g1 = store.find(G1).block(WAIT);
            assertThat(g1.status()).isEqualTo("left");
            assertThat(g1.governance()).isEqualTo("{\"gov\":2}");
            assertThat(g1.keyRing()).isEqualTo("[]");
            assertThat(g1.admission()).containsExactly(ALICE, BOB);
            assertThat(g1.owner()).isEqualTo(ALICE);
            assertThat(g1.port()).isEqualTo(12345);
            assertThat(g1.powBits()).isEqualTo(18);
            assertThat(g1.createdAt()).isEqualTo(T0.truncatedTo(ChronoUnit.MILLIS));
            assertThat(store.find(G2).block(WAIT).status()).isEqualTo("awaiting_approval");
            assertThat(store.find("3b0e7c11-0000-4000-8000-000000000000").block(WAIT)).isNull();
        }
    }

    @Test
    void aMessageIsRecordedOnceMovesLastMessageAtAndHistoryIsPerGroupOldestFirst() {
        try (SqliteDatabase db = SqliteDatabase.openNow(null)) {
            SqliteGroupStore store = new SqliteGroupStore(db, Clock.systemUTC());
            store.save(record(G1, T0)).block(WAIT);
            store.save(record(G2, T0)).block(WAIT);
            assertThat(store.record(text(G1, BOB, 2_000, 1, Direction.IN, "two")).block(WAIT)).isTrue();
            assertThat(store.record(text(G1, BOB, 2_000, 1, Direction.IN, "two")).block(WAIT)).isFalse();
            assertThat(store.record(text(G1, ALICE, 1_000, 2, Direction.OUT, "one")).block(WAIT)).isTrue();
            assertThat(store.record(text(G1, CAROL, 3_000, 1, Direction.IN, "three")).block(WAIT)).isTrue();
            assertThat(store.record(text(G2, BOB, 2_500, 1, Direction.IN, "elsewhere")).block(WAIT)).isTrue();

            List<GroupText> all = store.history(G1, null, 100).block(WAIT);
            assertThat(all).extracting(GroupText::text).containsExactly("one", "two", "three");
            assertThat(all.get(0).direction()).isEqualTo(Direction.OUT);
            assertThat(all.get(1).sender()).isEqualTo(BOB);
            assertThat(all.get(1).tsNano()).isEqualTo(2_000);
            assertThat(store.history(G1, null, 2).block(WAIT)).extracting(GroupText::text).containsExactly("two", "three");
            assertThat(store.history(G1, Instant.ofEpochSecond(0, 2_000), 100).block(WAIT))
                    .extracting(GroupText::text).containsExactly("three");
            assertThat(store.find(G1).block(WAIT).lastMessageAt()).isNotNull();
            assertThat(store.find(G1).block(WAIT).withStatus("x").lastMessageAt()).isNotNull();
        }
    }

    @Test
    void saveNeverMovesLastMessageAtBack() {
        try (SqliteDatabase db = SqliteDatabase.openNow(null)) {
            SqliteGroupStore store = new SqliteGroupStore(db, Clock.systemUTC());
            store.save(record(G1, T0)).block(WAIT);
            store.record(text(G1, BOB, 2_000, 1, Direction.IN, "two")).block(WAIT);
            Instant last = store.find(G1).block(WAIT).lastMessageAt();
            store.save(record(G1, T0)).block(WAIT); // a record read before the message: last_message_at null
            assertThat(store.find(G1).block(WAIT).lastMessageAt()).isEqualTo(last);
        }
    }

    @Test
    void joinRequestsAreCappedPerGroupRefreshedAndDropped() {
        try (SqliteDatabase db = SqliteDatabase.openNow(null)) {
            SqliteGroupStore store = new SqliteGroupStore(db, Clock.systemUTC());
            assertThat(store.request(G1, BOB, "hi", T0, 2).block(WAIT)).isTrue();
            assertThat(store.request(G1, CAROL, "me too", T0.plusSeconds(1), 2).block(WAIT)).isTrue();
            assertThat(store.request(G1, ALICE, "third", T0.plusSeconds(2), 2).block(WAIT)).isFalse();
            assertThat(store.request(G1, BOB, "hi again", T0.plusSeconds(3), 2).block(WAIT)).isTrue(); // a re-ask
            assertThat(store.request(G2, ALICE, "other group", T0, 2).block(WAIT)).isTrue();

            List<JoinRequestView> pending = store.requests(G1).block(WAIT);
            assertThat(pending).extracting(JoinRequestView::peer).containsExactly(BOB, CAROL);
            assertThat(pending.get(0).note()).isEqualTo("hi again");
            assertThat(pending.get(0).receivedAt()).isEqualTo(T0);
            assertThat(store.dropRequest(G1, BOB).block(WAIT)).isTrue();
            assertThat(store.dropRequest(G1, BOB).block(WAIT)).isFalse();
            assertThat(store.requests(G1).block(WAIT)).extracting(JoinRequestView::peer).containsExactly(CAROL);
        }
    }
}
