package io.skychat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.skychat.crypto.KeyPair;
import io.skychat.feed.FeedException;
import io.skychat.feed.FeedObject;
import io.skychat.feed.Hash;
import io.skychat.feed.Publication;
import io.skychat.feed.TreeStore;
import io.skychat.feed.TreeWalk;
import io.skychat.support.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feed roots and objects in a real SQLite file. */
class SqliteFeedStoreTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private SqliteDatabase db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private SqliteFeedStore open() {
        db = SqliteDatabase.openNow(dir.resolve("feeds.db"));
        return new SqliteFeedStore(db, Clock.systemUTC());
    }

    @Test
    void theLastRootAndExactlyItsObjectsSurviveAReopen() {
        SqliteFeedStore store = open();
        TreeStore tree = new TreeStore(ALICE);
        tree.put("msgs/1", "one".getBytes(StandardCharsets.UTF_8));
        tree.put("msgs/2", "two".getBytes(StandardCharsets.UTF_8));
        Publication first = tree.publish(1);
        store.saveRoot(first.root(), first.fresh(), List.of()).block(WAIT);
        tree.delete("msgs/1");
        tree.put("msgs/3", "three".getBytes(StandardCharsets.UTF_8));
        Publication second = tree.publish(2);
        Set<Hash> now = new HashSet<>();
        second.objects().forEach(o -> now.add(o.key()));
        List<Hash> removed = first.objects().stream().map(FeedObject::key).filter(k -> !now.contains(k)).toList();
        store.saveRoot(second.root(), second.fresh(), removed).block(WAIT);
        db.close();

        SqliteFeedStore reopened = open();
        assertThat(reopened.lastRoot(ALICE.publicKey()).block(WAIT)).isEqualTo(second.root());
        Map<Hash, byte[]> objects = reopened.objects(ALICE.publicKey()).block(WAIT);
        assertThat(objects.keySet()).isEqualTo(now);
        TreeWalk.Result walk = TreeWalk.walk(second.root().root(), objects::get);
        assertThat(walk.complete()).isTrue();
        assertThat(walk.leaves().keySet()).containsExactly("msgs/2", "msgs/3");
        assertThat(reopened.feeds().block(WAIT)).containsExactly(ALICE.publicKey());
        assertThat(TreeStore.resume(ALICE, second.root(), objects::get).entries()).containsKeys("msgs/2", "msgs/3");
    }

    @Test
    void anUnknownFeedHasNoRootAndForgetClearsOne() {
        SqliteFeedStore store = open();
        assertThat(store.lastRoot(ALICE.publicKey()).blockOptional(WAIT)).isEmpty();
        TreeStore tree = new TreeStore(ALICE);
        tree.put("a", new byte[] {1});
        Publication p = tree.publish(1);
        store.saveRoot(p.root(), p.fresh(), List.of()).block(WAIT);
        store.forget(ALICE.publicKey()).block(WAIT);
        assertThat(store.lastRoot(ALICE.publicKey()).blockOptional(WAIT)).isEmpty();
        assertThat(store.objects(ALICE.publicKey()).block(WAIT)).isEmpty();
    }

    @Test
    void aRootAlteredOnDiskIsNotTrusted() throws Exception {
        SqliteFeedStore store = open();
        TreeStore tree = new TreeStore(ALICE);
        tree.put("a", new byte[] {1});
        Publication p = tree.publish(1);
        store.saveRoot(p.root(), p.fresh(), List.of()).block(WAIT);
        db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE feed_roots SET sig = ?")) {
                byte[] sig = p.root().sig();
                sig[3] ^= 1;
                ps.setBytes(1, sig);
                return ps.executeUpdate();
            }
        }).block(WAIT);
        assertThatThrownBy(() -> store.lastRoot(ALICE.publicKey()).block(WAIT)).isInstanceOf(FeedException.class);
    }

    @Test
    void theFeedTablesComeWithSchemaVersionTwo() {
        open();
        assertThat(SqliteDatabase.MIGRATIONS).contains("db/V2__feeds.sql");
        assertThat(db.call(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }).block(WAIT)).isEqualTo(SqliteDatabase.MIGRATIONS.length);
    }

    @Test
    void eachPairNodeHoldsItsOwnCopyOfTheSameFeedKey() {
        SqliteFeedStore shared = open();
        SqliteFeedStore withBob = SqliteFeedStore.forPair(db, Clock.systemUTC(), KeyPair.fromSecretHex(Keys.BOB_SK).publicKey());
        SqliteFeedStore withCarol = SqliteFeedStore.forPair(db, Clock.systemUTC(), KeyPair.fromSecretHex(Keys.CAROL_SK).publicKey());
        // the same identity key publishes one feed per pair, with different trees
        TreeStore toBob = new TreeStore(ALICE);
        toBob.put("msgs/1/1", "for bob".getBytes(StandardCharsets.UTF_8));
        Publication b = toBob.publish(1);
        TreeStore toCarol = new TreeStore(ALICE);
        toCarol.put("msgs/1/1", "for carol".getBytes(StandardCharsets.UTF_8));
        Publication c = toCarol.publish(1);
        withBob.saveRoot(b.root(), b.fresh(), List.of()).block(WAIT);
        withCarol.saveRoot(c.root(), c.fresh(), List.of()).block(WAIT);

        assertThat(withBob.lastRoot(ALICE.publicKey()).block(WAIT)).isEqualTo(b.root());
        assertThat(withCarol.lastRoot(ALICE.publicKey()).block(WAIT)).isEqualTo(c.root());
        Map<Hash, byte[]> bobObjects = withBob.objects(ALICE.publicKey()).block(WAIT);
        assertThat(TreeWalk.walk(b.root().root(), bobObjects::get).leaves().get("msgs/1/1"))
                .isEqualTo("for bob".getBytes(StandardCharsets.UTF_8));
        assertThat(shared.lastRoot(ALICE.publicKey()).blockOptional(WAIT)).isEmpty();
        assertThat(shared.feeds().block(WAIT)).isEmpty();
        assertThat(withBob.feeds().block(WAIT)).containsExactly(ALICE.publicKey());

        withBob.forget(ALICE.publicKey()).block(WAIT);
        assertThat(withBob.lastRoot(ALICE.publicKey()).blockOptional(WAIT)).isEmpty();
        assertThat(withBob.objects(ALICE.publicKey()).block(WAIT)).isEmpty();
        assertThat(withCarol.lastRoot(ALICE.publicKey()).block(WAIT)).isEqualTo(c.root());
    }
}
