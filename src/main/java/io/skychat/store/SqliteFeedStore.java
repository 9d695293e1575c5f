package io.skychat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.skychat.core.PeerKey;
import io.skychat.feed.FeedObject;
import io.skychat.feed.FeedStore;
import io.skychat.feed.Hash;
import io.skychat.feed.SignedRoot;
import reactor.core.publisher.Mono;

/**
 * Feed roots and objects in the node's SQLite database, on its store thread: the node-wide feeds
 * ({@code db/V2__feeds.sql}), or one pair's feed node ({@link #forPair}, {@code db/V4__pair_feeds.sql}), whose
 * feeds carry the same identity keys as every other pair's and so need a scope of their own.
 */
public final class SqliteFeedStore implements FeedStore {

    private final SqliteDatabase db;
    private final Clock clock;
    /** The pair's key (hex) or the group's id for a pair or group node's store, null for the node-wide one. */
    private final String pair;
    private final String roots;
    private final String objectsTable;
    /** The scope column: {@code pair} or {@code grp}. */
    private final String column;
    /** The key columns before {@code feed}: empty, or {@code pair = ? AND }. */
    private final String scope;

    public SqliteFeedStore(SqliteDatabase db, Clock clock) {
        this(db, clock, null, "feed", null);
    }

    private SqliteFeedStore(SqliteDatabase db, Clock clock, String scopeKey, String tables, String column) {
        this.db = db;
        this.clock = clock;
        this.pair = scopeKey;
        this.roots = tables + "_roots";
        this.objectsTable = tables + "_objects";
        this.column = column;
        this.scope = scopeKey == null ? "" : column + " = ? AND ";
    }

    /** The store of the feed node of the pair with {@code peer}: its feeds, apart from every other node's. */
    public static SqliteFeedStore forPair(SqliteDatabase db, Clock clock, PeerKey peer) {
        return new SqliteFeedStore(db, clock, peer.hex(), "pair_feed", "pair");
    }

    /** The store of the feed node of the group {@code groupId} ({@code db/V5__groups.sql}): its members' feeds. */
    public static SqliteFeedStore forGroup(SqliteDatabase db, Clock clock, String groupId) {
        return new SqliteFeedStore(db, clock, groupId, "group_feed", "grp");
    }

    /** Binds the scope (if any) from parameter 1; returns the next parameter index. */
    private int bindScope(PreparedStatement ps) throws SQLException {
        if (pair == null) {
            return 1;
        }
        ps.setString(1, pair);
        return 2;
    }

    private String cols() {
        return pair == null ? "" : column + ", ";
    }

    private String marks() {
        return pair == null ? "" : "?, ";
    }

    private String conflict() {
        return pair == null ? "(feed)" : "(" + column + ", feed)";
    }

    @Override
    public Mono<Void> saveRoot(SignedRoot root, Collection<FeedObject> added, Collection<Hash> removed) {
        String feed = root.root().pub().hex();
        List<FeedObject> add = List.copyOf(added);
        List<Hash> drop = List.copyOf(removed);
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + roots + " (" + cols() + "feed, nonce, seq, value, sig, saved_at) VALUES ("
                            + marks() + "?, ?, ?, ?, ?, ?) "
                            + "ON CONFLICT " + conflict() + " DO UPDATE SET nonce = excluded.nonce, seq = excluded.seq, "
                            + "value = excluded.value, sig = excluded.sig, saved_at = excluded.saved_at")) {
                int i = bindScope(ps);
                ps.setString(i, feed);
                ps.setLong(i + 1, root.root().nonce());
                ps.setLong(i + 2, root.root().seq());
                ps.setBytes(i + 3, root.value());
                ps.setBytes(i + 4, root.sig());
                ps.setLong(i + 5, clock.millis());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO " + objectsTable + " (" + cols() + "feed, key, value) VALUES (" + marks() + "?, ?, ?)")) {
                for (FeedObject o : add) {
                    int i = bindScope(ps);
                    ps.setString(i, feed);
                    ps.setBytes(i + 1, o.key().bytes());
                    ps.setBytes(i + 2, o.bytes());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + objectsTable + " WHERE " + scope
                    + "feed = ? AND key = ?")) {
                for (Hash k : drop) {
                    int i = bindScope(ps);
                    ps.setString(i, feed);
                    ps.setBytes(i + 1, k.bytes());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return Boolean.TRUE;
        }).then();
    }

    @Override
    public Mono<SignedRoot> lastRoot(PeerKey feed) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value, sig FROM " + roots + " WHERE " + scope + "feed = ?")) {
                ps.setString(bindScope(ps), feed.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    // verified again: the file is outside the process and a Root is only trusted signed
                    return rs.next() ? SignedRoot.received(feed, rs.getBytes(1), rs.getBytes(2)) : null;
                }
            }
        });
    }

    @Override
    public Mono<Map<Hash, byte[]>> objects(PeerKey feed) {
        return db.call(c -> {
            Map<Hash, byte[]> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM " + objectsTable + " WHERE " + scope + "feed = ?")) {
                ps.setString(bindScope(ps), feed.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(new Hash(rs.getBytes(1)), rs.getBytes(2));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Mono<List<PeerKey>> feeds() {
        return db.call(c -> {
            List<PeerKey> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT feed FROM " + roots
                    + (pair == null ? "" : " WHERE " + column + " = ?") + " ORDER BY feed")) {
                bindScope(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(PeerKey.parse(rs.getString(1)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Mono<Void> forget(PeerKey feed) {
        return db.transaction(c -> {
            delete(c, "DELETE FROM " + objectsTable + " WHERE " + scope + "feed = ?", feed);
            delete(c, "DELETE FROM " + roots + " WHERE " + scope + "feed = ?", feed);
            return Boolean.TRUE;
        }).then();
    }

    private void delete(Connection c, String sql, PeerKey feed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(bindScope(ps), feed.hex());
            ps.executeUpdate();
        }
    }
}
