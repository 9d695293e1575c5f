package io.skychat.core;

import java.util.List;

/**
 * Durable backing of the event log, so {@code seq} keeps going up and recent events survive a restart.
 * Called from the log's own bounded executor, so implementations may block.
 */
public interface EventJournal {

    /** Appends the records, oldest first, in one transaction. */
    void appendNow(List<EventRecord> records);

    /** The newest {@code limit} records, oldest first. */
    List<EventRecord> loadNow(int limit);

    /** Deletes everything but the newest {@code keep} records. */
    void trimNow(int keep);
}
