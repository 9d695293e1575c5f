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

/** Feed roots and objects in the node's SQLite database ({@code db/V2__feeds.sql}), on its store thread. */
public final class SqliteFeedStore implements FeedStore {

    private final SqliteDatabase db;
    private final Clock clock;

    public SqliteFeedStore(SqliteDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Mono<Void> saveRoot(SignedRoot root, Collection<FeedObject> added, Collection<Hash> removed) {
        String feed = root.root().pub().hex();
        List<FeedObject> add = List.copyOf(added);
        List<Hash> drop = List.copyOf(removed);
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO feed_roots (feed, nonce, seq, value, sig, saved_at) VALUES (?, ?, ?, ?, ?, ?) "
                            + "ON CONFLICT (feed) DO UPDATE SET nonce = excluded.nonce, seq = excluded.seq, "
                            + "value = excluded.value, sig = excluded.sig, saved_at = excluded.saved_at")) {
                ps.setString(1, feed);
                ps.setLong(2, root.root().nonce());
                ps.setLong(3, root.root().seq());
                ps.setBytes(4, root.value());
                ps.setBytes(5, root.sig());
                ps.setLong(6, clock.millis());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO feed_objects (feed, key, value) VALUES (?, ?, ?)")) {
                for (FeedObject o : add) {
                    ps.setString(1, feed);
                    ps.setBytes(2, o.key().bytes());
                    ps.setBytes(3, o.bytes());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM feed_objects WHERE feed = ? AND key = ?")) {
                for (Hash k : drop) {
                    ps.setString(1, feed);
                    ps.setBytes(2, k.bytes());
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
            try (PreparedStatement ps = c.prepareStatement("SELECT value, sig FROM feed_roots WHERE feed = ?")) {
                ps.setString(1, feed.hex());
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
            try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM feed_objects WHERE feed = ?")) {
                ps.setString(1, feed.hex());
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
            try (PreparedStatement ps = c.prepareStatement("SELECT feed FROM feed_roots ORDER BY feed");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(PeerKey.parse(rs.getString(1)));
                }
            }
            return out;
        });
    }

    @Override
    public Mono<Void> forget(PeerKey feed) {
        return db.transaction(c -> {
            delete(c, "DELETE FROM feed_objects WHERE feed = ?", feed);
            delete(c, "DELETE FROM feed_roots WHERE feed = ?", feed);
            return Boolean.TRUE;
        }).then();
    }

    private static void delete(Connection c, String sql, PeerKey feed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, feed.hex());
            ps.executeUpdate();
        }
    }
}
