package io.skychat.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

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
 */
public final class SqliteDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);
    static final String[] MIGRATIONS = {"db/V1__messages.sql", "db/V2__feeds.sql", "db/V3__pairs.sql",
            "db/V4__pair_feeds.sql", "db/V5__groups.sql"};

    private final Connection connection;
    private final StoreThread executor;
    private final Scheduler scheduler;
    private final String location;

    private SqliteDatabase(Connection connection, String location) {
        this.connection = connection;
        this.location = location;
        this.executor = new StoreThread("skychat-store", 100_000);
        this.scheduler = Schedulers.fromExecutorService(executor, "skychat-store");
    }

    /** Opens (creating and migrating as needed) the database at {@code file}, or an in-memory one for null. */
    public static SqliteDatabase openNow(Path file) {
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
            Connection c = DriverManager.getConnection(url);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL"); // WAL + NORMAL: durable across process crashes
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA foreign_keys=ON");
            }
            migrate(c);
            return new SqliteDatabase(c, file == null ? "memory" : file.toString());
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

    /** Runs {@code work} in one transaction on the store thread. */
    <T> Mono<T> transaction(Work<T> work) {
        return call(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
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

    public java.util.concurrent.Executor executor() {
        return executor;
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
