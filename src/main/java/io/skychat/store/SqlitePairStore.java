package io.skychat.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.skychat.core.PeerKey;
import io.skychat.pairs.PairRecord;
import io.skychat.pairs.PairStatus;
import io.skychat.pairs.PairStore;
import io.skychat.pairs.PairText;
import reactor.core.publisher.Mono;

/** Pair records and pair messages in the node's SQLite database ({@code db/V3__pairs.sql}), on its store thread. */
public final class SqlitePairStore implements PairStore {

    private final SqliteDatabase db;
    private final Clock clock;

    public SqlitePairStore(SqliteDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Mono<List<PairRecord>> all() {
        return db.rows(SELECT + " ORDER BY created_at, peer", ps -> { }, SqlitePairStore::row);
    }

    @Override
    public Mono<PairRecord> find(PeerKey peer) {
        return db.firstRow(SELECT + " WHERE peer = ?", ps -> ps.setString(1, peer.hex()), SqlitePairStore::row);
    }

    private static final String SELECT = "SELECT peer, status, created_at, updated_at, invited_at, established_at, "
            + "last_message_at, invite_attempts, ratchet FROM pairs";

    private static PairRecord row(ResultSet rs) throws SQLException {
        return new PairRecord(PeerKey.parse(rs.getString(1)), PairStatus.of(rs.getString(2)), SqliteDatabase.instant(rs, 3),
                SqliteDatabase.instant(rs, 4), SqliteDatabase.instant(rs, 5), SqliteDatabase.instant(rs, 6), SqliteDatabase.instant(rs, 7), rs.getInt(8), rs.getString(9));
    }

    @Override
    public Mono<Void> save(PairRecord r) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pairs (peer, status, created_at, updated_at, "
                    + "invited_at, established_at, last_message_at, invite_attempts, ratchet) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (peer) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, "
                    + "invited_at = excluded.invited_at, established_at = excluded.established_at, "
                    + "last_message_at = MAX(COALESCE(pairs.last_message_at, 0), COALESCE(excluded.last_message_at, 0)), "
                    + "invite_attempts = excluded.invite_attempts")) {
                ps.setString(1, r.peer().hex());
                ps.setString(2, r.status().label());
                ps.setLong(3, r.createdAt().toEpochMilli());
                ps.setLong(4, r.updatedAt().toEpochMilli());
                SqliteDatabase.setInstant(ps, 5, r.invitedAt());
                SqliteDatabase.setInstant(ps, 6, r.establishedAt());
                SqliteDatabase.setInstant(ps, 7, r.lastMessageAt());
                ps.setInt(8, r.inviteAttempts());
                ps.setString(9, r.ratchet());
                ps.executeUpdate();
            }
            return Boolean.TRUE;
        }).then();
    }

    @Override
    public Mono<Void> saveRatchet(PeerKey peer, String json) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE pairs SET ratchet = ? WHERE peer = ?")) {
                ps.setString(1, json);
                ps.setString(2, peer.hex());
                return ps.executeUpdate();
            }
        }).then();
    }

    @Override
    public Mono<Boolean> record(PairText m) {
        long nanos = m.ts().getEpochSecond() * 1_000_000_000L + m.ts().getNano();
        long now = clock.millis();
        return db.transaction(c -> {
            int added;
            try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO pair_messages "
                    + "(peer, msg_id, outgoing, text, ts, rowid_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, m.peer().hex());
                ps.setString(2, m.id());
                ps.setInt(3, m.outgoing() ? 1 : 0);
                ps.setString(4, m.text());
                ps.setLong(5, nanos);
                ps.setLong(6, now);
                added = ps.executeUpdate();
            }
            if (added > 0) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE pairs SET last_message_at = ? WHERE peer = ?")) {
                    ps.setLong(1, now);
                    ps.setString(2, m.peer().hex());
                    ps.executeUpdate();
                }
            }
            return added > 0;
        });
    }

    @Override
    public Mono<Boolean> delete(PeerKey peer, String id, boolean outgoing) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE pair_messages SET deleted = 1 WHERE peer = ? AND msg_id = ? AND outgoing = ? AND deleted = 0")) {
                ps.setString(1, peer.hex());
                ps.setString(2, id);
                ps.setInt(3, outgoing ? 1 : 0);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Mono<List<PairText>> inbox(Instant since, int limit) {
        long sinceNanos = since == null ? Long.MIN_VALUE
                : since.getEpochSecond() * 1_000_000_000L + since.getNano();
        return db.call(c -> {
            List<PairText> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT peer, msg_id, text, ts FROM pair_messages "
                    + "WHERE outgoing = 0 AND deleted = 0 AND ts > ? ORDER BY ts DESC, msg_id DESC LIMIT ?")) {
                ps.setLong(1, sinceNanos);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long ns = rs.getLong(4);
                        out.add(new PairText(PeerKey.parse(rs.getString(1)), rs.getString(2), false, rs.getString(3),
                                Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L))));
                    }
                }
            }
            Collections.reverse(out);
            return out;
        });
    }
}
