package io.skychat.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.skychat.core.EventJournal;
import io.skychat.core.EventRecord;

/**
 * The /events log in the message database. Runs on the database's own thread (the log's journal executor,
 * {@link SqliteDatabase#executor()}), inside the transaction the store thread is committing.
 */
public final class SqliteEventJournal implements EventJournal {

    private final SqliteDatabase db;

    public SqliteEventJournal(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void appendNow(List<EventRecord> records) {
        db.atomicallyNow(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO events (seq, id, ts, channel, transport,"
                    + " dir, sender, recipient, group_id, text, reply_to_id, len, status)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (EventRecord r : records) {
                    ps.setLong(1, r.seq());
                    ps.setString(2, r.id());
                    ps.setLong(3, r.ts().toEpochMilli());
                    ps.setString(4, r.channel());
                    ps.setString(5, r.transport());
                    ps.setString(6, r.dir());
                    ps.setString(7, r.from());
                    ps.setString(8, r.to());
                    ps.setString(9, r.groupId());
                    ps.setString(10, r.text());
                    ps.setString(11, r.replyToId());
                    ps.setInt(12, r.len());
                    ps.setString(13, r.status());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<EventRecord> loadNow(int limit) {
        return db.call(c -> {
            List<EventRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, id, ts, channel, transport, dir, sender, recipient,"
                    + " group_id, text, reply_to_id, len, status FROM events ORDER BY seq DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new EventRecord(rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getString(9), rs.getString(10), rs.getString(11), rs.getInt(12), rs.getString(13)));
                    }
                }
            }
            Collections.reverse(out);
            return out;
        }).block(); // once, at start-up, on the main thread
    }

    @Override
    public void trimNow(int keep) {
        db.runNow(c -> SqliteMessageStore.update(c,
                "DELETE FROM events WHERE seq <= (SELECT seq FROM events ORDER BY seq DESC LIMIT 1 OFFSET ?)", keep));
    }
}
