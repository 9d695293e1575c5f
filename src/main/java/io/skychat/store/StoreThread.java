package io.skychat.store;

import io.skychat.core.HandOffExecutor;

/**
 * The one thread that talks to the database. Submitting never blocks the caller (see
 * {@link HandOffExecutor}); with a single worker, statements run in the order they were handed in.
 */
final class StoreThread extends HandOffExecutor {

    StoreThread(String name, int capacity) {
        super(name, 1, capacity, "the message store");
    }
}
