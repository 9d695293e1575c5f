package io.skychat.groups;

import java.time.Instant;
import java.util.List;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupKind;

/**
 * One group as this node sees it.
 *
 * @param id            the group's UUID
 * @param kind          public, private or channel
 * @param mode          {@code public} or {@code private} (upstream's persisted mode)
 * @param role          our role: {@code owner} (the founder), {@code admin} or {@code member}
 * @param status        {@code active}, {@code pending}, {@code awaiting_approval}, {@code left}, {@code revoked},
 *                      {@code denied}, {@code banned} or {@code removed}
 * @param owner         the founder
 * @param admins        current admins (the founder first)
 * @param members       current members, admins included
 * @param port          the group's feed port; admission listens on {@code port + 1}
 * @param lastMessageAt when the newest message was recorded here, null when none
 * @param keyEpoch      the epoch of the current key (private groups), 0 otherwise
 */
public record GroupView(String id, String name, GroupKind kind, String mode, String role, String status,
                        PeerKey owner, List<PeerKey> admins, List<PeerKey> members, int port, int membersCount,
                        Instant lastMessageAt, long keyEpoch) {

    public GroupView {
        admins = List.copyOf(admins);
        members = List.copyOf(members);
    }
}
