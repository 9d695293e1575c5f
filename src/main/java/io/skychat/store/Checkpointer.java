package io.skychat.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the write-ahead log into the database file on a thread of its own, over a connection of its own, so
 * the store thread seldom waits for a checkpoint's copying and its two {@code fsync}s: with SQLite's automatic
 * checkpoint every thousandth page written made one commit (and every ack behind it) take milliseconds.
 * The store thread tells this one about its commits; a passive checkpoint runs after every
 * {@value #COMMITS_PER_CHECKPOINT} commits and, when anything was committed, at least once a second. Passive
 * checkpoints never block the writer, and commits stay as durable as before: a committed transaction is in
 * the log whether or not it has been copied yet.
 *
 * <p>A log that a steady writer keeps adding to is never copied to its very end by another thread, and only
 * a log copied to its end starts over from its beginning; left alone it grows, and every commit then
 * extends the file. So the store thread's own automatic checkpoint stays on, at {@value #LOG_RESTART_PAGES}
 * pages: by then this thread has copied nearly all of it, the commit that crosses the mark copies the rest
 * and the log starts over.
 */
final class Checkpointer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);
    static final int COMMITS_PER_CHECKPOINT = 256;
    /** Pages (of 4 KiB) in the log at which the store thread's commit finishes a checkpoint itself. */
    static final int LOG_RESTART_PAGES = 4096;
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Connection connection;
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong checkpoints = new AtomicLong();
    private volatile boolean closed;

    private Checkpointer(Connection connection) {
        this.connection = connection;
        this.thread = new Thread(this::run, "skychat-checkpoint");
        thread.setDaemon(true);
    }

    /** Opens its own connection to the database at {@code url} and starts its thread. */
    static Checkpointer start(String url) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
        }
        Checkpointer checkpointer = new Checkpointer(c);
        checkpointer.thread.start();
        return checkpointer;
    }

    /** Store thread: a transaction was committed. Never blocks; wakes the checkpointer now and then. */
    void committed() {
        if (commits.incrementAndGet() % COMMITS_PER_CHECKPOINT == 0) {
            LockSupport.unpark(thread);
        }
    }

    /** Checkpoints run so far. */
    long checkpoints() {
        return checkpoints.get();
    }

    private void run() {
        long checkpointedAt = 0;
        while (!closed) {
            LockSupport.parkNanos(this, IDLE_NANOS);
            long now = commits.get();
            if (now != checkpointedAt && !closed) {
                checkpointedAt = now;
                checkpoint();
            }
        }
    }

    private void checkpoint() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            checkpoints.incrementAndGet();
            if (rs.next() && log.isDebugEnabled()) {
                log.debug("checkpoint: busy={} log={} checkpointed={}", rs.getInt(1), rs.getInt(2), rs.getInt(3));
            }
        } catch (SQLException e) {
            log.warn("message store: checkpoint failed (the log keeps the data; the next one tries again): {}",
                    e.getMessage());
        }
    }

    /** Stops the thread (after a checkpoint in progress) and closes its connection. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("closing the checkpointer: {}", e.getMessage());
        }
    }
}
