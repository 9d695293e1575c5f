package io.skychat.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The ids seen lately, oldest forgotten first; guards against the replay a reconnect brings. */
final class RecentIds {

    private final Map<String, Boolean> seen;

    RecentIds(int capacity) {
        this.seen = new LinkedHashMap<>(capacity * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time {@code id} is offered; blank ids are never duplicates. */
    synchronized boolean firstTime(String id) {
        if (id == null || id.isEmpty()) {
            return true;
        }
        return seen.put(id, Boolean.TRUE) == null;
    }
}
