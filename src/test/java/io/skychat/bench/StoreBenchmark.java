package io.skychat.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.core.StoredMessage;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import io.skychat.store.PersistenceSettings;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteMessageStore;

/**
 * Store latency at scale, through the store's public API: fills a database with N messages over P peers,
 * then times single inserts ({@code recordInbound}) and {@code /history}-style queries (newest 100 of one
 * peer). Prints percentiles; not a test. Run with {@code bench/store-bench.sh [messages] [peers] [file]}: with
 * a file, the database is kept there, and one already there is measured as it is (no fill), so a large one
 * can be filled once and measured again later.
 */
public final class StoreBenchmark {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int peerCount = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int samples = 10_000;
        // Under target/ (several GB at 10,000,000 messages), deleted at the end unless a file was named.
        Files.createDirectories(Path.of("target"));
        Path kept = args.length > 2 ? Path.of(args[2]) : null;
        Path dir = kept != null ? null : Files.createTempDirectory(Path.of("target"), "store-bench");
        Path file = kept != null ? kept : dir.resolve("bench.db");
        List<PeerKey> peers = new java.util.ArrayList<>();
        PeerKey self = KeyPair.generate().publicKey();
        Random random = new Random(42);
        double fillSeconds = 0;
        if (kept != null && Files.exists(kept)) {
            peers.addAll(peersIn(kept));
            peerCount = peers.size();
            System.out.printf("store benchmark: measuring %s as it is (%,d peers)%n", kept, peerCount);
        } else {
            for (int i = 0; i < peerCount; i++) {
                peers.add(KeyPair.generate().publicKey());
            }
            SqliteDatabase.openNow(file).close(); // create the schema
            long fillStart = System.nanoTime();
            fill(file, messages, peers, self, random);
            fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        }

        SqliteDatabase db = SqliteDatabase.openNow(file);
        SqliteMessageStore store = new SqliteMessageStore(db, self, new PersistenceSettings(true, file, 4096, 0,
                Integer.MAX_VALUE, 1L << 40, Duration.ZERO, Set.of(), 50), Clock.systemUTC());
        Duration t = Duration.ofSeconds(30);
        for (int i = 0; i < 1000; i++) { // warm up the JIT and SQLite's page cache
            store.history(peers.get(random.nextInt(peerCount)), 100).block(t);
        }
        long[] query = new long[samples];
        for (int i = 0; i < samples; i++) {
            PeerKey peer = peers.get(random.nextInt(peerCount));
            long s = System.nanoTime();
            int rows = store.history(peer, 100).block(t).size();
            query[i] = System.nanoTime() - s;
            if (rows == 0) {
                throw new IllegalStateException("empty history for a filled peer");
            }
        }
        long[] insert = new long[samples];
        for (int i = 0; i < samples; i++) {
            PeerKey peer = peers.get(random.nextInt(peerCount));
            StoredMessage m = new StoredMessage(MessageId.random(), peer, peer, false, "fresh message " + i,
                    Instant.now(), null, TransportKind.TCP_DIRECT, null);
            long s = System.nanoTime();
            store.recordInbound(m).block(t);
            insert[i] = System.nanoTime() - s;
        }
        db.close();
        System.out.printf("store benchmark: %,d messages over %,d peers (fill %.1f s, file %,d MB)%n",
                messages, peerCount, fillSeconds, Files.size(file) >> 20);
        print("history query (newest 100 of one peer)", query);
        print("insert (recordInbound, one transaction)", insert);
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** The peers a filled database holds messages of. */
    private static List<PeerKey> peersIn(Path file) throws Exception {
        List<PeerKey> out = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             var rs = c.createStatement().executeQuery("SELECT DISTINCT peer FROM messages")) {
            while (rs.next()) {
                out.add(PeerKey.parse(rs.getString(1)));
            }
        }
        return out;
    }

    /**
     * Bulk fill for the set-up only (the measured calls below go through the store's API): the messages
     * table's indexes are dropped, rows go in through one prepared statement in transactions of 200,000
     * with the journal off, and the indexes are built again from the schema's own DDL, one sort each.
     * At 10,000,000 rows this is minutes instead of most of an hour of random B-tree inserts.
     */
    static void fill(Path file, int messages, List<PeerKey> peers, PeerKey self, Random random) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            List<String> indexes = new java.util.ArrayList<>();
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=OFF");
                s.execute("PRAGMA synchronous=OFF");
                s.execute("PRAGMA cache_size=-262144");
                List<String> names = new java.util.ArrayList<>();
                try (var rs = s.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                        + " AND tbl_name = 'messages' AND sql IS NOT NULL")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                        indexes.add(rs.getString(2));
                    }
                }
                for (String name : names) {
                    s.execute("DROP INDEX " + name);
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (id, peer, sender, outgoing, text, ts,"
                    + " network, status, size) VALUES (?, ?, ?, ?, ?, ?, 'tcp-direct', ?, ?)")) {
                long t0 = Instant.now().minus(Duration.ofDays(20)).toEpochMilli();
                int peerCount = peers.size();
                String selfHex = self.hex();
                for (int i = 0; i < messages; i++) {
                    PeerKey peer = peers.get(random.nextInt(peerCount));
                    boolean out = random.nextBoolean();
                    String text = "benchmark message number " + i;
                    ps.setString(1, HexFormat.of().toHexDigits((long) i));
                    ps.setString(2, peer.hex());
                    ps.setString(3, out ? selfHex : peer.hex());
                    ps.setInt(4, out ? 1 : 0);
                    ps.setString(5, text);
                    ps.setLong(6, t0 + i);
                    ps.setString(7, out ? "received" : null);
                    ps.setInt(8, text.length());
                    ps.addBatch();
                    if (i % 10_000 == 9_999) {
                        ps.executeBatch();
                    }
                    if (i % 200_000 == 199_999) {
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            c.setAutoCommit(true);
            try (java.sql.Statement s = c.createStatement()) {
                for (String ddl : indexes) {
                    s.execute(ddl);
                }
            }
        }
    }

    private static void print(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("  %-42s n=%,d  p50=%.3f ms  p99=%.3f ms  p99.9=%.3f ms  max=%.3f ms%n", what, s.length,
                s[s.length / 2] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[(int) (s.length * 0.999)] / 1e6,
                s[s.length - 1] / 1e6);
    }
}
