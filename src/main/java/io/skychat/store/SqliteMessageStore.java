package io.skychat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.skychat.core.DeliveryState;
import io.skychat.core.HistoryPolicy;
import io.skychat.core.HistoryStore;
import io.skychat.core.MessageId;
import io.skychat.core.OutboxEntry;
import io.skychat.core.OutboxStore;
import io.skychat.core.PeerKey;
import io.skychat.core.StoredMessage;
import io.skychat.core.TransportKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * History and outbox in one SQLite database, so "accepted" is one transaction over both (shared with
 * whatever else is queued: {@link SqliteDatabase} group-commits). Upstream's caps
 * apply: per-peer rate and row cap, total size cap (writes refused, never silently dropped), TTL sweep.
 */
public final class SqliteMessageStore implements HistoryStore, OutboxStore {

    private static final Logger log = LoggerFactory.getLogger(SqliteMessageStore.class);
    /** Inbound ids are remembered this long: longer than any sender keeps retrying (48 h). */
    static final Duration SEEN_RETENTION = Duration.ofDays(7);

    private final SqliteDatabase db;
    private final PeerKey self;
    private final PersistenceSettings settings;
    private final Clock clock;
    private final AtomicLong totalBytes = new AtomicLong();
    private final HistoryPolicy policy;
    /** Rows per peer, as far as known; store thread only (see {@link #rowsAfterInsert}). */
    private final java.util.Map<PeerKey, Long> rowCounts = new java.util.HashMap<>();

    public SqliteMessageStore(SqliteDatabase db, PeerKey self, PersistenceSettings settings, Clock clock) {
        this.db = db;
        this.self = self;
        this.settings = settings;
        this.clock = clock;
        this.policy = new HistoryPolicy(settings.enabled(), settings.maxMessageSize(), settings.perPeerRate(),
                settings.perPeerCap(), settings.totalCapBytes(), settings.whitelist(), clock);
        totalBytes.set(db.call(c -> scalar(c, "SELECT COALESCE(SUM(size), 0) FROM messages")).block());
        db.onRollback(rowCounts::clear); // runs on the store thread

    }

    @Override
    public boolean enabled() {
        return settings.enabled();
    }

    public long totalBytes() {
        return totalBytes.get();
    }

    // ---- inbound -------------------------------------------------------------------------------------

    @Override
    public Mono<Inbound> recordInbound(StoredMessage m) {
        return db.transaction(m.size() + SqliteDatabase.UNIT_OVERHEAD_BYTES, c -> {
            // The id is remembered whatever history does with the text: exactly-once holds either way. One
            // statement both remembers it and tells a repeat (nothing inserted) from a first arrival.
            try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO seen (peer, id, ts) VALUES (?, ?, ?)")) {
                ps.setString(1, m.peer().hex());
                ps.setString(2, m.id().value());
                ps.setLong(3, m.timestamp().toEpochMilli());
                if (ps.executeUpdate() == 0) {
                    return Inbound.DUPLICATE;
                }
            }
            HistoryPolicy.Verdict verdict = policy.inbound(m.peer(), m.size(), totalBytes.get());
            if (!verdict.kept()) {
                if (verdict == HistoryPolicy.Verdict.STORE_FULL) {
                    log.warn("history full ({} bytes, --persist-total-cap); a message from {} is not kept",
                            totalBytes.get(), m.peer());
                }
                return Inbound.NOT_KEPT;
            }
            insert(c, m);
            return Inbound.STORED;
        });
    }

    // ---- outbox --------------------------------------------------------------------------------------

    @Override
    public Mono<Void> enqueue(OutboxEntry e) {
        // Twice the text: it goes into the outbox and into history.
        return db.transaction(2 * e.text().length() + SqliteDatabase.UNIT_OVERHEAD_BYTES, c -> {
            int size = e.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (totalBytes.get() + size > settings.totalCapBytes()) {
                throw SqliteDatabase.StoreException.full("the message store is full (" + totalBytes.get() + " of "
                        + settings.totalCapBytes() + " bytes, --persist-total-cap); nothing was queued");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (id, peer, text, reply_to, network,"
                    + " created_at, expires_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, 0)")) {
                ps.setString(1, e.id().value());
                ps.setString(2, e.peer().hex());
                ps.setString(3, e.text());
                ps.setString(4, e.replyTo() == null ? null : e.replyTo().value());
                ps.setString(5, e.network() == null ? null : e.network().label());
                ps.setLong(6, e.createdAt().toEpochMilli());
                ps.setLong(7, e.expiresAt().toEpochMilli());
                ps.executeUpdate();
            }
            if (policy.outgoing(e.peer(), size, totalBytes.get()).kept()) {
                insert(c, new StoredMessage(e.id(), e.peer(), self, true, e.text(),
                        e.createdAt(), e.replyTo(), e.network(), DeliveryState.QUEUED));
            }
            return null;
        }).then();
    }

    @Override
    public Mono<List<OutboxEntry>> pending() {
        return db.call(c -> outbox(c, "", null));
    }

    private static List<OutboxEntry> outbox(Connection c, String where, Long arg) throws SQLException {
        List<OutboxEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, peer, text, reply_to, network, created_at,"
                + " expires_at, attempts FROM outbox " + where + " ORDER BY seq")) {
            if (arg != null) {
                ps.setLong(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxEntry(new MessageId(rs.getString(1)), PeerKey.parse(rs.getString(2)), rs.getString(3),
                            rs.getString(4) == null ? null : new MessageId(rs.getString(4)),
                            rs.getString(5) == null ? null : TransportKind.parse(rs.getString(5)),
                            Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8)));
                }
            }
        }
        return out;
    }

    @Override
    public Mono<Void> acknowledged(PeerKey peer, MessageId id) {
        return db.transaction(c -> {
            update(c, "DELETE FROM outbox WHERE id = ?", id.value());
            setStatus(c, peer, id, DeliveryState.RECEIVED);
            return null;
        }).then();
    }

    @Override
    public Mono<Void> attempted(MessageId id, TransportKind network) {
        return db.transaction(c -> {
            update(c, "UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", id.value());
            update(c, "UPDATE messages SET status = 'sent', network = COALESCE(?, network)"
                    + " WHERE outgoing = 1 AND id = ? AND status = 'queued'",
                    network == null ? null : network.label(), id.value());
            return null;
        }).then();
    }

    @Override
    public Mono<Void> expired(PeerKey peer, MessageId id) {
        return db.transaction(c -> {
            update(c, "DELETE FROM outbox WHERE id = ?", id.value());
            update(c, "UPDATE messages SET status = 'failed' WHERE outgoing = 1 AND peer = ? AND id = ?"
                    + " AND status IN ('queued', 'sent')", peer.hex(), id.value());
            return null;
        }).then();
    }

    @Override
    public Mono<List<OutboxEntry>> expiredBy(Instant now) {
        return db.call(c -> outbox(c, "WHERE expires_at <= ?", now.toEpochMilli()));
    }

    // ---- history -------------------------------------------------------------------------------------

    @Override
    public Mono<Void> updateStatus(PeerKey peer, MessageId id, DeliveryState state) {
        return db.transaction(c -> {
            setStatus(c, peer, id, state);
            return null;
        }).then();
    }

    @Override
    public Mono<List<StoredMessage>> history(PeerKey peer, int limit) {
        return db.call(c -> {
            String sql = "SELECT id, peer, sender, outgoing, text, ts, reply_to, network, status FROM messages"
                    + (peer == null ? "" : " WHERE peer = ?") + " ORDER BY seq DESC LIMIT ?";
            List<StoredMessage> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (peer != null) {
                    ps.setString(i++, peer.hex());
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
            }
            java.util.Collections.reverse(rows);
            return rows;
        });
    }

    @Override
    public Mono<List<PeerKey>> peers() {
        return db.call(c -> {
            List<PeerKey> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT peer FROM messages GROUP BY peer ORDER BY MAX(seq) DESC")) {
                while (rs.next()) {
                    out.add(PeerKey.parse(rs.getString(1)));
                }
            }
            return out;
        });
    }

    /** Deletes rows past the TTL and ids past the de-duplication window. */
    public Mono<Integer> sweep() {
        return db.transaction(c -> {
            Instant now = clock.instant();
            int removed = 0;
            if (!settings.ttl().isZero()) {
                long cutoff = now.minus(settings.ttl()).toEpochMilli();
                long bytes = scalar(c, "SELECT COALESCE(SUM(size), 0) FROM messages WHERE ts < " + cutoff);
                removed = update(c, "DELETE FROM messages WHERE ts < ?", cutoff);
                rowCounts.clear();
                totalBytes.addAndGet(-bytes);
            }
            update(c, "DELETE FROM seen WHERE ts < ?", now.minus(SEEN_RETENTION).toEpochMilli());
            return removed;
        });
    }

    // ---- rows ----------------------------------------------------------------------------------------

    private void insert(Connection c, StoredMessage m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO messages (id, peer, sender, outgoing, text,"
                + " ts, reply_to, network, status, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, m.id().value());
            ps.setString(2, m.peer().hex());
            ps.setString(3, m.from().hex());
            ps.setInt(4, m.outgoing() ? 1 : 0);
            ps.setString(5, m.text());
            ps.setLong(6, m.timestamp().toEpochMilli());
            ps.setString(7, m.replyTo() == null ? null : m.replyTo().value());
            ps.setString(8, m.network() == null ? null : m.network().label());
            ps.setString(9, m.status() == null ? null : m.status().label());
            ps.setInt(10, m.size());
            if (ps.executeUpdate() != 1) {
                return;
            }
            totalBytes.addAndGet(m.size());
        }
        long rows = rowsAfterInsert(c, m.peer());
        if (rows > policy.perPeerCap()) {
            evictBeyondCap(c, m.peer());
            rowCounts.put(m.peer(), (long) policy.perPeerCap());
        }
    }

    /**
     * The peer's row count including the row just inserted: counted once, then kept up to date, so an insert
     * does not walk the peer's rows to learn whether the cap is reached. Forgotten whenever a transaction
     * rolls back or rows go by other ways, and counted afresh.
     */
    private long rowsAfterInsert(Connection c, PeerKey peer) throws SQLException {
        Long known = rowCounts.get(peer);
        long rows;
        if (known == null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE peer = ?")) {
                ps.setString(1, peer.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    rows = rs.next() ? rs.getLong(1) : 0;
                }
            }
        } else {
            rows = known + 1;
        }
        rowCounts.put(peer, rows);
        return rows;
    }

    private void evictBeyondCap(Connection c, PeerKey peer) throws SQLException {
        String bound = "(SELECT seq FROM messages WHERE peer = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)";
        long bytes;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(SUM(size), 0) FROM messages WHERE peer = ? AND seq <= " + bound)) {
            ps.setString(1, peer.hex());
            ps.setString(2, peer.hex());
            ps.setInt(3, policy.perPeerCap());
            try (ResultSet rs = ps.executeQuery()) {
                bytes = rs.next() ? rs.getLong(1) : 0;
            }
        }
        if (bytes > 0) {
            update(c, "DELETE FROM messages WHERE peer = ? AND seq <= " + bound, peer.hex(), peer.hex(),
                    policy.perPeerCap());
            totalBytes.addAndGet(-bytes);
        }
    }

    private static void setStatus(Connection c, PeerKey peer, MessageId id, DeliveryState state) throws SQLException {
        // Only forward: 'read' is never overwritten by a late 'received'.
        List<String> earlier = new ArrayList<>();
        for (DeliveryState s : DeliveryState.values()) {
            if (state.isAfter(s) && s != DeliveryState.FAILED) {
                earlier.add("'" + s.label() + "'");
            }
        }
        if (earlier.isEmpty()) {
            return;
        }
        update(c, "UPDATE messages SET status = ? WHERE outgoing = 1 AND peer = ? AND id = ? AND status IN ("
                + String.join(",", earlier) + ")", state.label(), peer.hex(), id.value());
    }

    private static StoredMessage row(ResultSet rs) throws SQLException {
        boolean outgoing = rs.getInt(4) == 1;
        return new StoredMessage(new MessageId(rs.getString(1)), PeerKey.parse(rs.getString(2)),
                PeerKey.parse(rs.getString(3)), outgoing, rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)),
                rs.getString(7) == null ? null : new MessageId(rs.getString(7)),
                rs.getString(8) == null ? null : TransportKind.parse(rs.getString(8)),
                rs.getString(9) == null ? (outgoing ? DeliveryState.QUEUED : null)
                        : DeliveryState.valueOf(rs.getString(9).toUpperCase(java.util.Locale.ROOT)));
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    static long scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
