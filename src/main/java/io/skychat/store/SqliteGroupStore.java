package io.skychat.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.skychat.core.Direction;
import io.skychat.core.PeerKey;
import io.skychat.groups.GroupRecord;
import io.skychat.groups.GroupStore;
import io.skychat.groups.GroupText;
import io.skychat.groups.JoinRequestView;
import reactor.core.publisher.Mono;

/** Group records, messages and join requests in the node's SQLite database ({@code db/V5__groups.sql}), on its store thread. */
public final class SqliteGroupStore implements GroupStore {

    private static final String SELECT = "SELECT id, name, kind, owner, port, pow_bits, status, admission, governance, "
            + "key_ring, created_at, joined_at, last_message_at FROM groups";

    private final SqliteDatabase db;
    private final Clock clock;

    public SqliteGroupStore(SqliteDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Mono<List<GroupRecord>> all() {
        return db.rows(SELECT + " ORDER BY created_at, id", ps -> { }, SqliteGroupStore::row);
    }

    @Override
    public Mono<GroupRecord> find(String id) {
        return db.firstRow(SELECT + " WHERE id = ?", ps -> ps.setString(1, id), SqliteGroupStore::row);
    }

    private static GroupRecord row(ResultSet rs) throws SQLException {
        return new GroupRecord(rs.getString(1), rs.getString(2), rs.getString(3), PeerKey.parse(rs.getString(4)),
                rs.getInt(5), rs.getInt(6), rs.getString(7), keys(rs.getString(8)), rs.getString(9), rs.getString(10),
                SqliteDatabase.instant(rs, 11), SqliteDatabase.instant(rs, 12), SqliteDatabase.instant(rs, 13));
    }

    /** The admission list is stored as a JSON array of hex keys (no quoting needed: hex only). */
    private static List<PeerKey> keys(String json) {
        List<PeerKey> out = new ArrayList<>();
        String body = json.strip();
        body = body.substring(1, body.length() - 1);
        for (String part : body.split(",")) {
            String hex = part.strip().replace("\"", "");
            if (!hex.isEmpty()) {
                out.add(PeerKey.parse(hex));
            }
        }
        return out;
    }

    private static String keysJson(List<PeerKey> keys) {
        StringBuilder s = new StringBuilder("[");
        for (PeerKey k : keys) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append('"').append(k.hex()).append('"');
        }
        return s.append(']').toString();
    }

    @Override
    public Mono<Void> save(GroupRecord r) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO groups (id, name, kind, owner, port, pow_bits, "
                    + "status, admission, governance, key_ring, created_at, joined_at, last_message_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                    + "name = excluded.name, status = excluded.status, admission = excluded.admission, "
                    + "governance = excluded.governance, key_ring = excluded.key_ring, joined_at = excluded.joined_at, "
                    + "pow_bits = excluded.pow_bits, "
                    + "last_message_at = MAX(COALESCE(groups.last_message_at, 0), COALESCE(excluded.last_message_at, 0))")) {
                ps.setString(1, r.id());
                ps.setString(2, r.name());
                ps.setString(3, r.kind());
                ps.setString(4, r.owner().hex());
                ps.setInt(5, r.port());
                ps.setInt(6, r.powBits());
                ps.setString(7, r.status());
                ps.setString(8, keysJson(r.admission()));
                ps.setString(9, r.governance());
                ps.setString(10, r.keyRing());
                ps.setLong(11, r.createdAt().toEpochMilli());
                SqliteDatabase.setInstant(ps, 12, r.joinedAt());
                SqliteDatabase.setInstant(ps, 13, r.lastMessageAt());
                ps.executeUpdate();
            }
            return Boolean.TRUE;
        }).then();
    }

    @Override
    public Mono<Boolean> record(GroupText m) {
        long now = clock.millis();
        return db.transaction(c -> {
            int added;
            try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO group_messages "
                    + "(group_id, msg_id, sender, outgoing, text, ts, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, m.groupId());
                ps.setString(2, m.id());
                ps.setString(3, m.sender().hex());
                ps.setInt(4, m.direction() == Direction.OUT ? 1 : 0);
                ps.setString(5, m.text());
                ps.setLong(6, m.tsNano());
                ps.setLong(7, now);
                added = ps.executeUpdate();
            }
            if (added > 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE groups SET last_message_at = MAX(COALESCE(last_message_at, 0), ?) WHERE id = ?")) {
                    ps.setLong(1, now);
                    ps.setString(2, m.groupId());
                    ps.executeUpdate();
                }
            }
            return added > 0;
        });
    }

    @Override
    public Mono<List<GroupText>> history(String groupId, Instant since, int limit) {
        long sinceNanos = since == null ? Long.MIN_VALUE : since.getEpochSecond() * 1_000_000_000L + since.getNano();
        return db.call(c -> {
            List<GroupText> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT msg_id, sender, outgoing, text, ts FROM group_messages "
                    + "WHERE group_id = ? AND ts > ? ORDER BY ts DESC, msg_id DESC LIMIT ?")) {
                ps.setString(1, groupId);
                ps.setLong(2, sinceNanos);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long ns = rs.getLong(5);
                        out.add(new GroupText(rs.getString(1), groupId, PeerKey.parse(rs.getString(2)), rs.getString(4),
                                Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)),
                                ns, rs.getInt(3) == 1 ? Direction.OUT : Direction.IN));
                    }
                }
            }
            Collections.reverse(out);
            return out;
        });
    }

    @Override
    public Mono<Boolean> request(String groupId, PeerKey peer, String note, Instant at, int max) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE group_join_requests SET note = ? WHERE group_id = ? AND peer = ?")) {
                ps.setString(1, note);
                ps.setString(2, groupId);
                ps.setString(3, peer.hex());
                if (ps.executeUpdate() > 0) {
                    return true;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM group_join_requests WHERE group_id = ?")) {
                ps.setString(1, groupId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getInt(1) >= max) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO group_join_requests (group_id, peer, note, received_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, groupId);
                ps.setString(2, peer.hex());
                ps.setString(3, note);
                ps.setLong(4, at.toEpochMilli());
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Mono<List<JoinRequestView>> requests(String groupId) {
        return db.call(c -> {
            List<JoinRequestView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT peer, note, received_at FROM group_join_requests "
                    + "WHERE group_id = ? ORDER BY received_at, peer")) {
                ps.setString(1, groupId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new JoinRequestView(PeerKey.parse(rs.getString(1)), rs.getString(2),
                                Instant.ofEpochMilli(rs.getLong(3))));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Mono<Boolean> dropRequest(String groupId, PeerKey peer) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM group_join_requests WHERE group_id = ? AND peer = ?")) {
                ps.setString(1, groupId);
                ps.setString(2, peer.hex());
                return ps.executeUpdate() > 0;
            }
        });
    }
}
