package io.skychat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The store thread's group commit against a real SQLite file: units queued together share one transaction,
 * run in hand-in order, fail alone, and are answered only after the commit, which, when it fails, fails
 * them all. The store thread is held on a latch while units pile up, so what forms a batch is known.
 */
class GroupCommitTests {

    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private SqliteDatabase db;
    /** What the connection saw, in order: "commit", "rollback", and what the test adds. */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failCommits = new AtomicBoolean();
    private final CountDownLatch hold = new CountDownLatch(1);

    @AfterEach
    void close() {
        hold.countDown();
        if (db != null) {
            db.close();
        }
    }

    /** A real SQLite connection whose commit the test can make fail, as a full or failing disk would. */
    private Connection recording(Connection real) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        seen.add("commit");
                        if (failCommits.get()) {
                            throw new SQLException("disk I/O error (test)");
                        }
                    } else if (method.getName().equals("rollback") && (args == null || args.length == 0)) {
                        seen.add("rollback");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void open() {
        db = SqliteDatabase.openNow(dir.resolve("g.db"), this::recording);
        db.call(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, n INTEGER UNIQUE, v TEXT)");
            }
            return null;
        }).block(T);
    }

    /** Parks the store thread (not an event loop) until {@link #hold} opens; units queue behind it. */
    private void holdTheStoreThread() throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        db.call(c -> {
            held.countDown();
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }).subscribe();
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private Mono<Integer> insert(int n) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (n, v) VALUES (?, ?)")) {
                ps.setInt(1, n);
                ps.setString(2, "row " + n);
                ps.executeUpdate();
            }
            return n;
        });
    }

    private List<Integer> rows() {
        return db.call(c -> {
            List<Integer> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM t ORDER BY seq")) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
            return out;
        }).block(T);
    }

    /** Subscribes and records each outcome ("ok 3", "error 3: …") as the caller hears it. */
    private CountDownLatch submit(Mono<Integer> unit, int n) {
        CountDownLatch done = new CountDownLatch(1);
        unit.subscribe(v -> {
            seen.add("ok " + v);
            done.countDown();
        }, e -> {
            seen.add("error " + n + ": " + e.getMessage());
            done.countDown();
        });
        return done;
    }

    @Test
    void unitsQueuedTogetherShareOneCommitRunInOrderAndHearBackOnlyAfterIt() throws Exception {
        open();
        holdTheStoreThread();
        long commitsBefore = db.commits();
        List<CountDownLatch> done = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            done.add(submit(insert(n), n));
        }
        seen.clear();
        hold.countDown();
        for (CountDownLatch d : done) {
            assertThat(d.await(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(db.commits() - commitsBefore).isEqualTo(1);
        assertThat(rows()).containsExactlyElementsOf(range(0, 100));
        List<String> expected = new ArrayList<>(List.of("commit"));
        range(0, 100).forEach(n -> expected.add("ok " + n));
        assertThat(seen).containsExactlyElementsOf(expected); // every answer after the commit, in hand-in order
    }

    @Test
    void aUnitThatThrowsAnErrorFailsAloneAndTheStoreThreadGoesOn() throws Exception {
        open();
        holdTheStoreThread();
        CountDownLatch first = submit(insert(1), 1);
        CountDownLatch broken = submit(db.transaction(c -> {
            throw new AssertionError("not an exception (test)");
        }), 2);
        CountDownLatch third = submit(insert(3), 3);
        hold.countDown();
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(broken.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).contains("ok 1", "ok 3").anyMatch(e -> e.startsWith("error 2:") && e.contains("not an exception"));
        assertThat(insert(4).block(T)).isEqualTo(4); // and later writes still run
        assertThat(rows()).containsExactly(1, 3, 4);
    }

    @Test
    void aFailingUnitIsRolledBackAloneAndOnlyItsCallerHearsTheError() throws Exception {
        open();
        insert(7).block(T);
        holdTheStoreThread();
        CountDownLatch first = submit(insert(1), 1);
        // Writes a row, then fails on the duplicate key: its own row must go too, the others' stay.
        CountDownLatch failing = submit(db.transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO t (n, v) VALUES (2, 'from the failing unit')");
                s.execute("INSERT INTO t (n, v) VALUES (7, 'duplicate')");
            }
            return 2;
        }), 2);
        CountDownLatch last = submit(insert(3), 3);
        seen.clear();
        hold.countDown();
        assertThat(first.await(10, TimeUnit.SECONDS) && failing.await(10, TimeUnit.SECONDS)
                && last.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(rows()).containsExactly(7, 1, 3);
        assertThat(seen).hasSize(4);
        assertThat(seen.get(0)).isEqualTo("commit");
        assertThat(seen.get(1)).isEqualTo("ok 1");
        assertThat(seen.get(2)).startsWith("error 2: message store failed:").contains("UNIQUE");
        assertThat(seen.get(3)).isEqualTo("ok 3");
    }

    @Test
    void whenTheCommitFailsEveryUnitOfTheBatchFailsAndNothingIsKept() throws Exception {
        open();
        holdTheStoreThread();
        List<Integer> acked = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (int n = 0; n < 10; n++) {
            // What the chat service does: the ack goes out only when the store says the message is kept.
            insert(n).doOnNext(acked::add).subscribe(null, errors::add);
        }
        failCommits.set(true);
        hold.countDown();
        await().atMost(T).until(() -> errors.size() == 10);

        assertThat(acked).isEmpty();
        assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(SqliteDatabase.StoreException.class)
                .hasMessageContaining("disk I/O error (test)"));
        assertThat(seen).containsSubsequence("commit", "rollback");
        failCommits.set(false);
        assertThat(rows()).isEmpty();
        assertThat(insert(42).block(T)).isEqualTo(42); // the store goes on once the disk does
        assertThat(rows()).containsExactly(42);
    }

    @Test
    void aBatchIsBoundedByCountAndBytes() throws Exception {
        open();
        holdTheStoreThread();
        long commitsBefore = db.commits();
        List<CountDownLatch> done = new ArrayList<>();
        int units = SqliteDatabase.MAX_BATCH_UNITS + 10;
        for (int n = 0; n < units; n++) {
            done.add(submit(insert(n), n));
        }
        hold.countDown();
        for (CountDownLatch d : done) {
            assertThat(d.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(db.commits() - commitsBefore).isEqualTo(2);

        CountDownLatch holdAgain = new CountDownLatch(1);
        db.call(c -> {
            try {
                holdAgain.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }).subscribe();
        long before = db.commits();
        int big = SqliteDatabase.MAX_BATCH_BYTES * 2 / 5; // two fit in a batch, three do not
        List<Mono<Integer>> large = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            int k = 10_000 + n;
            large.add(db.transaction(big, c -> {
                SqliteMessageStore.update(c, "INSERT INTO t (n, v) VALUES (?, ?)", k, "large");
                return k;
            }).cache());
            large.get(n).subscribe();
        }
        holdAgain.countDown();
        for (Mono<Integer> m : large) {
            m.block(T);
        }
        assertThat(db.commits() - before).isEqualTo(2);
        assertThat(rows()).hasSize(units + 3);
    }

    @Test
    void closingWritesEverythingAcceptedBeforeIt() throws Exception {
        open();
        holdTheStoreThread();
        List<CountDownLatch> done = new ArrayList<>();
        int units = SqliteDatabase.MAX_BATCH_UNITS * 2 + 1; // more than one batch is left when closing starts
        for (int n = 0; n < units; n++) {
            done.add(submit(insert(n), n));
        }
        Thread closer = new Thread(db::close);
        closer.start();
        await().atMost(T).until(() -> closer.getState() != Thread.State.RUNNABLE || !closer.isAlive());
        hold.countDown();
        closer.join(10_000);
        for (CountDownLatch d : done) {
            assertThat(d.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).noneMatch(s -> s.startsWith("error"));
        db = null;

        try (SqliteDatabase reopened = SqliteDatabase.openNow(dir.resolve("g.db"))) {
            Long count = reopened.call(c -> SqliteMessageStore.scalar(c, "SELECT COUNT(*) FROM t")).block(T);
            assertThat(count).isEqualTo(units);
        }
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void checkpointsRunOnTheirOwnThreadAndCommitsNeverRunOne() {
        open();
        assertThat(db.call(c -> SqliteMessageStore.scalar(c, "PRAGMA wal_autocheckpoint")).block(T))
                .isEqualTo(Checkpointer.LOG_RESTART_PAGES);
        for (int i = 0; i < Checkpointer.COMMITS_PER_CHECKPOINT + 1; i++) { // one commit each: each waits
            int n = i;
            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (n, v) VALUES (?, 'x')")) {
                    ps.setInt(1, n);
                    ps.executeUpdate();
                }
                return null;
            }).block(T);
        }
        await().atMost(T).until(() -> db.checkpoints() > 0);
        assertThat(db.call(c -> SqliteMessageStore.scalar(c, "SELECT COUNT(*) FROM t")).block(T))
                .isEqualTo(Checkpointer.COMMITS_PER_CHECKPOINT + 1L);
    }

    @Test
    void aSteadyWriterStillGetsItsLogStartedOver() throws Exception {
        open();
        // one commit after another, as a sequential sender makes them: each writes about four 4 KiB pages to
        // the log (some 24,000 in all), so a log that never started over would hold every one of them; one that
        // starts over stays within a few times the restart mark
        int commits = Checkpointer.LOG_RESTART_PAGES + 2000;
        String text = "x".repeat(3000);
        for (int i = 0; i < commits; i++) {
            int n = i;
            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (n, v) VALUES (?, ?)")) {
                    ps.setInt(1, n);
                    ps.setString(2, text);
                    ps.executeUpdate();
                }
                return null;
            }).block(T);
        }
        long frame = 4096 + 24;
        assertThat(java.nio.file.Files.size(dir.resolve("g.db-wal")))
                .isLessThan(3L * Checkpointer.LOG_RESTART_PAGES * frame);
    }
}
