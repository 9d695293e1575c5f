package io.skychat.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.skychat.core.SkychatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One embedded SQLite database (WAL mode) and the one thread that talks to it. Every statement runs on that
 * thread, so callers on event loops only ever get a {@link Mono}, and writes need no locking. Schema
 * migrations are numbered resources {@code db/V<n>__*.sql}, tracked in {@code PRAGMA user_version}.
 *
 * <p>Writes are group-committed: each {@link #transaction} is a unit queued in order, and the store thread
 * runs whatever units are waiting (at most {@value #MAX_BATCH_UNITS}, about {@value #MAX_BATCH_BYTES} bytes)
 * in one SQLite transaction, each inside its own savepoint, so a unit that fails is rolled back alone and
 * only its caller sees the error. No unit's {@link Mono} completes before the shared commit has returned;
 * if the commit fails, every unit of the batch fails with it. Units run, commit and complete in the order
 * they were handed in.
 */
public final class SqliteDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);
    static final String[] MIGRATIONS = {"db/V1__messages.sql", "db/V2__feeds.sql", "db/V3__pairs.sql",
            "db/V4__pair_feeds.sql", "db/V5__groups.sql"};

    /** Units in one transaction at most. */
    static final int MAX_BATCH_UNITS = 512;
    /** Payload bytes in one transaction at most (a unit larger than this runs alone). */
    static final int MAX_BATCH_BYTES = 1 << 20;
    /** What a unit counts for when its caller names no size (a status change, an ack). */
    static final int UNIT_OVERHEAD_BYTES = 64;
    /** Units waiting at most; past it a write is refused, as the store thread refuses tasks past its capacity. */
    static final int MAX_QUEUED_UNITS = 100_000;

    private final Connection connection;
    /** Null for an in-memory database, which has no log to checkpoint. */
    private final Checkpointer checkpointer;
    private final StoreThread executor;
    private final Scheduler scheduler;
    private final String location;
    /** Units waiting for the next batch, in hand-in order. */
    private final ConcurrentLinkedQueue<Unit<?>> units = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger queuedUnits = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong committedUnits = new AtomicLong();
    /** Store thread only: the unit that did not fit the last batch. */
    private Unit<?> carried;
    /** Store thread only. */
    private Savepoints savepoints;
    /** Told on the store thread whenever writes are rolled back (a unit's or a whole batch's). */
    private final List<Runnable> rollbackListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private SqliteDatabase(Connection connection, Checkpointer checkpointer, String location) {
        this.connection = connection;
        this.checkpointer = checkpointer;
        this.location = location;
        this.executor = new StoreThread("skychat-store", 100_000);
        this.scheduler = Schedulers.fromExecutorService(executor, "skychat-store");
    }

    /** Opens (creating and migrating as needed) the database at {@code file}, or an in-memory one for null. */
    public static SqliteDatabase openNow(Path file) {
        return openNow(file, c -> c);
    }

    /**
     * As {@link #openNow(Path)}, talking to SQLite through {@code decorate(connection)}: how a test makes
     * the disk fail under the store (a commit that throws).
     */
    public static SqliteDatabase openNow(Path file, java.util.function.UnaryOperator<Connection> decorate) {
        String url;
        if (file == null) {
            url = "jdbc:sqlite::memory:";
        } else {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
            }
            url = "jdbc:sqlite:" + file.toAbsolutePath();
        }
        try {
            Connection c = decorate.apply(DriverManager.getConnection(url));
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL"); // WAL + NORMAL: durable across process crashes
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA cache_size=-8192"); // 8 MiB of pages (SQLite's default is 2 MiB)
                if (file != null) {
                    // the checkpointer's thread copies the log; the commit that finds it this long finishes the job
                    s.execute("PRAGMA wal_autocheckpoint=" + Checkpointer.LOG_RESTART_PAGES);
                    s.execute("PRAGMA journal_size_limit=67108864"); // a log reset after a burst shrinks to 64 MiB
                }
            }
            migrate(c);
            Checkpointer checkpointer = file == null ? null : Checkpointer.start(url);
            return new SqliteDatabase(StatementCache.wrap(c), checkpointer, file == null ? "memory" : file.toString());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the message store at " + file + ": " + e.getMessage(), e);
        }
    }

    static void migrate(Connection c) throws SQLException {
        int version;
        try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > MIGRATIONS.length) {
            throw new SQLException("the store has schema version " + version + ", newer than this build knows ("
                    + MIGRATIONS.length + "); refusing to touch it");
        }
        for (int v = version; v < MIGRATIONS.length; v++) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                String script = script(MIGRATIONS[v]).lines().filter(l -> !l.strip().startsWith("--"))
                        .collect(java.util.stream.Collectors.joining("\n"));
                for (String sql : script.split(";")) {
                    if (!sql.isBlank()) {
                        s.execute(sql);
                    }
                }
                s.execute("PRAGMA user_version=" + (v + 1));
                c.commit();
                log.info("message store migrated to schema version {}", v + 1);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static String script(String resource) {
        try (InputStream in = SqliteDatabase.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} on the store thread; handing it over never blocks the caller. */
    <T> Mono<T> call(Work<T> work) {
        return Mono.fromCallable(() -> runNow(work)).subscribeOn(scheduler);
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    interface Params {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Reads the current row. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Every row a query answers, in its order, read on the store thread. */
    <T> Mono<List<T>> rows(String sql, Params params, Row<T> row) {
        return call(c -> {
            List<T> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                params.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row.read(rs));
                    }
                }
            }
            return out;
        });
    }

    /** A column of epoch milliseconds that may be NULL. */
    static java.time.Instant instant(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : java.time.Instant.ofEpochMilli(ms);
    }

    /** Binds {@code at} as epoch milliseconds, or NULL. */
    static void setInstant(PreparedStatement ps, int i, java.time.Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(i, java.sql.Types.INTEGER);
        } else {
            ps.setLong(i, at.toEpochMilli());
        }
    }

    /** The first row a query answers; empty when there is none. */
    <T> Mono<T> firstRow(String sql, Params params, Row<T> row) {
        return call(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                params.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? row.read(rs) : null;
                }
            }
        });
    }

    /**
     * Runs {@code work} as one unit of the next group commit on the store thread: it either takes effect
     * whole or not at all, and the result is emitted only after the transaction holding it has committed.
     */
    <T> Mono<T> transaction(Work<T> work) {
        return transaction(UNIT_OVERHEAD_BYTES, work);
    }

    /** As {@link #transaction(Work)}, for a unit writing about {@code bytes} bytes (bounds the batch). */
    <T> Mono<T> transaction(int bytes, Work<T> work) {
        return Mono.create(sink -> {
            try {
                submit(new Unit<>(work, Math.max(bytes, 1), sink));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                sink.error(e);
            }
        });
    }

    /**
     * An executor whose tasks run as units of the group commit, for write-behind work with no waiter (the
     * event journal): a task that throws is rolled back alone and logged.
     */
    private java.util.concurrent.Executor unitExecutor() {
        return task -> submit(new Unit<>(c -> {
            task.run();
            return null;
        }, UNIT_OVERHEAD_BYTES, null));
    }

    private void submit(Unit<?> unit) {
        if (executor.isShutdown()) {
            throw new java.util.concurrent.RejectedExecutionException("the message store is closed");
        }
        if (queuedUnits.incrementAndGet() > MAX_QUEUED_UNITS) {
            queuedUnits.decrementAndGet();
            throw new java.util.concurrent.RejectedExecutionException("the message store is busy ("
                    + MAX_QUEUED_UNITS + " writes queued)");
        }
        units.add(unit);
        if (!scheduleDrain() && units.remove(unit)) {
            queuedUnits.decrementAndGet();
            unit.fail(new java.util.concurrent.RejectedExecutionException("the message store is closed"));
        }
    }

    /** False when the store thread refused the run (it is closing); a run already scheduled takes the unit. */
    private boolean scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                drainScheduled.set(false);
                return false;
            }
        }
        return true;
    }

    /**
     * One batch: everything queued now, up to the bounds. Anything handed to the store thread after a unit
     * (a read) runs after that unit's batch has committed; what is left over goes in the next batch.
     */
    private void drain() {
        drainScheduled.set(false); // a unit queued from now on schedules another run
        try {
            do {
                List<Unit<?>> batch = new ArrayList<>();
                long bytes = 0;
                Unit<?> next = carried != null ? carried : polled();
                carried = null;
                while (next != null) {
                    if (!batch.isEmpty() && bytes + next.bytes > MAX_BATCH_BYTES) {
                        carried = next; // opens the next batch
                        break;
                    }
                    batch.add(next);
                    bytes += next.bytes;
                    next = batch.size() < MAX_BATCH_UNITS ? polled() : null;
                }
                if (batch.isEmpty()) {
                    return;
                }
                runBatch(batch);
                // Closing: the store thread takes no new runs, so what was accepted before is written now.
            } while (executor.isShutdown() && hasUnits());
        } finally {
            // whatever happened above, units left waiting get a run: a pipelined sender waiting for acks
            // may hand in nothing more that would schedule one
            if (hasUnits()) {
                scheduleDrain();
            }
        }
    }

    private Unit<?> polled() {
        Unit<?> u = units.poll();
        if (u != null) {
            queuedUnits.decrementAndGet();
        }
        return u;
    }

    private boolean hasUnits() {
        return carried != null || !units.isEmpty();
    }

    private void runBatch(List<Unit<?>> batch) {
        RuntimeException batchFailure = null;
        try {
            connection.setAutoCommit(false);
            try {
                boolean alone = batch.size() == 1;
                for (Unit<?> u : batch) {
                    u.runIn(connection, alone ? null : savepoints());
                }
                if (alone && batch.get(0).error != null) {
                    connection.rollback();
                } else {
                    connection.commit();
                }
                commits.incrementAndGet();
                committedUnits.addAndGet(batch.size());
                if (checkpointer != null) {
                    checkpointer.committed();
                }
            } catch (SQLException | RuntimeException e) {
                batchFailure = e instanceof RuntimeException r ? r
                        : new StoreException("message store failed: " + e.getMessage(), e);
                rollbackQuietly();
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (batchFailure == null) {
                batchFailure = new StoreException("message store failed: " + e.getMessage(), e);
            }
        }
        if (batchFailure != null) {
            log.warn("message store: a transaction of {} unit(s) failed: {}", batch.size(), batchFailure.getMessage());
        }
        if (batchFailure != null || batch.stream().anyMatch(u -> u.error != null)) {
            rolledBack();
        }
        // Only now, after the commit (or the rollback), does any caller hear back.
        for (Unit<?> u : batch) {
            u.complete(batchFailure);
        }
    }

    /** {@code listener} runs on the store thread after any rollback, so caches of what is on disk can be dropped. */
    void onRollback(Runnable listener) {
        rollbackListeners.add(listener);
    }

    private void rolledBack() {
        for (Runnable r : rollbackListeners) {
            r.run();
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.warn("message store: rollback failed: {}", e.getMessage());
        }
    }

    private Savepoints savepoints() throws SQLException {
        if (savepoints == null) {
            savepoints = new Savepoints(connection.prepareStatement("SAVEPOINT unit"),
                    connection.prepareStatement("ROLLBACK TO unit"), connection.prepareStatement("RELEASE unit"));
        }
        return savepoints;
    }

    /** A unit's savepoint statements, prepared once: every unit of a shared batch runs two of them. */
    private record Savepoints(PreparedStatement open, PreparedStatement rollBack, PreparedStatement release) {
    }

    /** Transactions committed so far, and the units they held (for measuring how well commits are shared). */
    public long commits() {
        return commits.get();
    }

    public long committedUnits() {
        return committedUnits.get();
    }

    /** Units handed in and not yet taken into a batch. */
    public int queued() {
        return queuedUnits.get();
    }

    /** Checkpoints the checkpointer has run (0 for an in-memory database). */
    public long checkpoints() {
        return checkpointer == null ? 0 : checkpointer.checkpoints();
    }

    /** One caller's work in a batch and how its caller hears back; store thread only after hand-in. */
    private static final class Unit<T> {
        final Work<T> work;
        final int bytes;
        final reactor.core.publisher.MonoSink<T> sink;
        T result;
        RuntimeException error;

        Unit(Work<T> work, int bytes, reactor.core.publisher.MonoSink<T> sink) {
            this.work = work;
            this.bytes = bytes;
            this.sink = sink;
        }

        /** Runs the work inside a savepoint (none when it is the batch's only unit); its failure stays its own. */
        void runIn(Connection c, Savepoints savepoints) throws SQLException {
            if (savepoints != null) {
                savepoints.open().execute();
            }
            try {
                result = work.run(c);
            } catch (SQLException e) {
                error = new StoreException("message store failed: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                error = e;
            } catch (Error e) {
                // still this unit's failure alone: its batch commits and is answered, the thread goes on
                error = new StoreException("message store failed: " + e, e);
            }
            if (savepoints != null) {
                if (error != null) {
                    savepoints.rollBack().execute();
                }
                savepoints.release().execute();
            }
        }

        void fail(RuntimeException e) {
            error = e;
            complete(null);
        }

        void complete(RuntimeException batchFailure) {
            RuntimeException e = error != null ? error : batchFailure;
            if (sink == null) {
                if (e != null) {
                    log.warn("message store: write-behind work not kept: {}", e.getMessage());
                }
            } else if (e != null) {
                sink.error(e);
            } else if (result == null) {
                sink.success();
            } else {
                sink.success(result);
            }
        }
    }

    /**
     * For callers already on the store thread: runs {@code work} all or nothing inside a savepoint (nested in
     * the batch's transaction, or a transaction of its own outside one).
     */
    <T> T atomicallyNow(Work<T> work) {
        return runNow(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SAVEPOINT atomically");
                try {
                    T result = work.run(c);
                    s.execute("RELEASE atomically");
                    return result;
                } catch (SQLException | RuntimeException e) {
                    s.execute("ROLLBACK TO atomically");
                    s.execute("RELEASE atomically");
                    rolledBack();
                    throw e;
                }
            }
        });
    }

    /** For callers already on the store thread (the event journal). */
    <T> T runNow(Work<T> work) {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("message store failed: " + e.getMessage(), e);
        }
    }

    /**
     * For write-behind work on the store thread (the event journal): each task runs as a unit of the group
     * commit, so its writes share the transaction of whatever else is queued.
     */
    public java.util.concurrent.Executor executor() {
        return unitExecutor();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public String location() {
        return location;
    }

    /** Waits for queued writes, then closes: nothing accepted before shutdown is lost. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("message store still busy after 10 s; closing anyway");
            }
            if (checkpointer != null) {
                checkpointer.close();
            }
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            log.warn("closing the message store: {}", e.getMessage());
        }
        scheduler.dispose();
    }

    /** The store refused or failed a write; {@code type} tells which ({@code store-full}, {@code store-failure}). */
    static final class StoreException extends SkychatException {
        StoreException(String message, Throwable cause) {
            this("store-failure", message, cause);
        }

        StoreException(String type, String message, Throwable cause) {
            super(type, message, cause);
        }

        static StoreException full(String message) {
            return new StoreException("store-full", message, null);
        }
    }
}
