package io.skychat.groups;

import java.time.Instant;
import java.util.List;

import io.skychat.core.PeerKey;

/**
 * One group as stored. {@code governance} and {@code keyRing} are the JSON documents of the group's
 * governance state and key ring ({@code io.skychat.group}); {@code admission} lists the keys a join is sent to.
 */
public record GroupRecord(String id, String name, String kind, PeerKey owner, int port, int powBits, String status,
                          List<PeerKey> admission, String governance, String keyRing, Instant createdAt,
                          Instant joinedAt, Instant lastMessageAt) {

    public GroupRecord {
        admission = List.copyOf(admission);
    }

    public GroupRecord withStatus(String next) {
        return new GroupRecord(id, name, kind, owner, port, powBits, next, admission, governance, keyRing, createdAt,
                joinedAt, lastMessageAt);
    }

    public GroupRecord withState(String nextGovernance, String nextKeyRing) {
        return new GroupRecord(id, name, kind, owner, port, powBits, status, admission, nextGovernance, nextKeyRing,
                createdAt, joinedAt, lastMessageAt);
    }

    public GroupRecord joined(Instant at) {
        return new GroupRecord(id, name, kind, owner, port, powBits, "active", admission, governance, keyRing, createdAt,
                joinedAt == null ? at : joinedAt, lastMessageAt);
    }
}
