package io.skychat.groups;

import java.time.Instant;

import io.skychat.core.Direction;
import io.skychat.core.PeerKey;

/**
 * One group message as kept here.
 *
 * @param id        {@code <sender hex>-<ts unixnano>-<seq>}: unique per group, the leaf's path in other words
 * @param ts        the author's time
 * @param tsNano    the same, unix nanoseconds (as the leaf path names it)
 * @param direction {@link Direction#OUT} for our own messages
 */
public record GroupText(String id, String groupId, PeerKey sender, String text, Instant ts, long tsNano,
                        Direction direction) {
}
