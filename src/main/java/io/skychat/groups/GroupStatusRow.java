package io.skychat.groups;

import java.time.Instant;

/**
 * One row of {@code /status.groups[]}.
 *
 * @param lagSeconds      how long since the newest leaf seen from the feeds we follow (0 when none)
 * @param subscriberAlive whether at least one followed feed is connected
 * @param subDropCount    how often following a feed failed or was refused
 */
public record GroupStatusRow(String id, String name, String role, String status, int membersCount,
                             Instant lastMessageAt, long lagSeconds, boolean subscriberAlive, long subDropCount) {
}
