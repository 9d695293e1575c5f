package io.skychat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import io.skychat.core.DeliveryState;
import io.skychat.core.HistoryStore.Inbound;
import io.skychat.core.MessageId;
import io.skychat.core.OutboxEntry;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.core.StoredMessage;
import io.skychat.core.TransportKind;
import io.skychat.support.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite adapter against a real database file; store calls are awaited with {@code block(Duration)}. */
class SqliteMessageStoreTests {

    private static final Duration T = Duration.ofSeconds(10);
    private static final PeerKey ALICE = PeerKey.parse(Keys.ALICE_PK);
    private static final PeerKey BOB = PeerKey.parse(Keys.BOB_PK);
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;
    private SqliteDatabase db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private SqliteMessageStore open(int perPeerCap, long totalCap, Duration ttl, Clock clock) {
        return open(0, perPeerCap, totalCap, ttl, clock);
    }

    private SqliteMessageStore open(int ratePerMinute, int perPeerCap, long totalCap, Duration ttl, Clock clock) {
        db = SqliteDatabase.openNow(dir.resolve("h.db"));
        return new SqliteMessageStore(db, ALICE, new PersistenceSettings(true, dir.resolve("h.db"), 4096,
                ratePerMinute, perPeerCap, totalCap, ttl, Set.of(), 50), clock);
    }

    private SqliteMessageStore open() {
        return open(500, 10 << 20, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static StoredMessage inbound(String id, String text, Instant at) {
        return new StoredMessage(new MessageId(id), BOB, BOB, false, text, at, null, TransportKind.TCP_DIRECT, null);
    }

    private static OutboxEntry outgoing(String id, String text) {
        return new OutboxEntry(new MessageId(id), BOB, text, null, TransportKind.TCP_DIRECT, NOW, NOW.plusSeconds(3600), 0);
    }

    @Test
    void aRedeliveredMessageIsTakenOnce() {
        SqliteMessageStore store = open();
        StoredMessage m = inbound("0000000000000001", "hi", NOW);
        assertThat(store.recordInbound(m).block(T)).isEqualTo(Inbound.STORED);
        assertThat(store.recordInbound(m).block(T)).isEqualTo(Inbound.DUPLICATE);
        assertThat(store.history(BOB, 10).block(T)).hasSize(1);
    }

    @Test
    void theOutboxSurvivesReopeningInAcceptanceOrder() {
        SqliteMessageStore store = open();
        store.enqueue(outgoing("00000000000000a1", "first")).block(T);
        store.enqueue(outgoing("00000000000000a2", "second")).block(T);
        store.acknowledged(BOB, new MessageId("00000000000000a1")).block(T);
        db.close();
        db = null;

        SqliteMessageStore reopened = open();
        assertThat(reopened.pending().block(T)).extracting(OutboxEntry::text).containsExactly("second");
        assertThat(reopened.history(BOB, 10).block(T)).extracting(m -> m.status())
                .containsExactly(DeliveryState.RECEIVED, DeliveryState.QUEUED);
        assertThat(reopened.history(BOB, 10).block(T).get(0).from()).isEqualTo(ALICE);
    }

    @Test
    void statusOnlyMovesForward() {
        SqliteMessageStore store = open();
        MessageId id = new MessageId("00000000000000b1");
        store.enqueue(outgoing(id.value(), "x")).block(T);
        store.updateStatus(BOB, id, DeliveryState.READ).block(T);
        store.acknowledged(BOB, id).block(T); // a late ack after the read receipt
        assertThat(store.history(BOB, 1).block(T).get(0).status()).isEqualTo(DeliveryState.READ);
    }

    @Test
    void thePerPeerCapEvictsTheOldest() {
        SqliteMessageStore store = open(3, 10 << 20, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 1; i <= 5; i++) {
            store.recordInbound(inbound(String.format("%016x", i), "m" + i, NOW)).block(T);
        }
        assertThat(store.history(BOB, 10).block(T)).extracting(StoredMessage::text).containsExactly("m3", "m4", "m5");
        assertThat(store.totalBytes()).isEqualTo(6);
    }

    @Test
    void aPeerOverItsRateIsRememberedButNotKept() {
        SqliteMessageStore store = open(20, 5, 10 << 20, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 1; i <= 5; i++) { // the burst allowance is the per-peer cap
            assertThat(store.recordInbound(inbound(String.format("%016x", i), "m" + i, NOW)).block(T)).isEqualTo(Inbound.STORED);
        }
        StoredMessage sixth = inbound(String.format("%016x", 6), "m6", NOW);
        assertThat(store.recordInbound(sixth).block(T)).isEqualTo(Inbound.NOT_KEPT);
        // its id is remembered all the same: a redelivery is a duplicate, shown once
        assertThat(store.recordInbound(sixth).block(T)).isEqualTo(Inbound.DUPLICATE);
        assertThat(store.history(BOB, 10).block(T)).hasSize(5);
    }

    @Test
    void aFullStoreRefusesWithAClearErrorAndKeepsWhatItHas() {
        SqliteMessageStore store = open(500, 10, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
        store.enqueue(outgoing("00000000000000c1", "12345678")).block(T);
        assertThatThrownBy(() -> store.enqueue(outgoing("00000000000000c2", "12345678")).block(T))
                .isInstanceOf(SkychatException.class)
                .satisfies(e -> assertThat(((SkychatException) e).type()).isEqualTo("store-full"));
        assertThat(store.recordInbound(inbound("00000000000000c3", "12345678", NOW)).block(T)).isEqualTo(Inbound.NOT_KEPT);
        assertThat(store.pending().block(T)).hasSize(1);
        assertThat(store.history(BOB, 10).block(T)).hasSize(1);
    }

    @Test
    void theSweepRemovesRowsPastTheirTtl() {
        SqliteMessageStore store = open(500, 10 << 20, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
        store.recordInbound(inbound("00000000000000d1", "old", NOW.minus(Duration.ofDays(31)))).block(T);
        store.recordInbound(inbound("00000000000000d2", "new", NOW.minus(Duration.ofDays(1)))).block(T);
        assertThat(store.sweep().block(T)).isEqualTo(1);
        assertThat(store.history(BOB, 10).block(T)).extracting(StoredMessage::text).containsExactly("new");
    }

    @Test
    void schemaIsVersionedAndMigratedOnce() throws Exception {
        open();
        db.close();
        db = null;
        open();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("h.db"));
             var rs = c.createStatement().executeQuery("PRAGMA user_version")) {
            assertThat(rs.getInt(1)).isEqualTo(SqliteDatabase.MIGRATIONS.length);
        }
    }

    @Test
    void aMessageOverTheHistorySizeIsRememberedButNotKept() {
        SqliteMessageStore store = open(500, 10 << 20, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
        StoredMessage big = inbound("00000000000000e1", "x".repeat(5000), NOW);
        assertThat(store.recordInbound(big).block(T)).isEqualTo(Inbound.NOT_KEPT);
        assertThat(store.recordInbound(big).block(T)).isEqualTo(Inbound.DUPLICATE);
        assertThat(store.history(BOB, 10).block(T)).isEmpty();
    }

    @Test
    void anOutgoingMessageOverTheHistorySizeIsQueuedWithoutAHistoryRow() {
        SqliteMessageStore store = open(500, 10 << 20, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
        store.enqueue(outgoing("00000000000000e2", "y".repeat(60_000))).block(T);
        assertThat(store.pending().block(T)).extracting(e -> e.text().length()).containsExactly(60_000);
        assertThat(store.history(BOB, 10).block(T)).isEmpty();
    }
}
