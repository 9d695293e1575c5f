package io.skychat.group;

import io.skychat.core.PeerKey;
import java.util.List;

/**
 * What an invite link says (upstream {@code group.Invite}): enough for a joiner to ask the founder, then
 * the listed admins, for admission. Unsigned and untrusted; the group's answer is what the joiner records.
 * {@code admins} excludes the owner; {@code powBits} 0 means the link names no price.
 */
public record Invite(GroupId id, String name, PeerKey owner, int port, GroupKind kind, List<PeerKey> admins, int powBits) {

    public Invite {
        if (id == null || name == null || owner == null || kind == null) {
            throw new GroupException(GroupException.Reason.BAD_INVITE, "invite needs an id, a name, an owner and a kind");
        }
        if (port <= 0 || port > 0xffff) {
            throw new GroupException(GroupException.Reason.BAD_INVITE, "invite port must be 1..65535, got " + port);
        }
        if (powBits < 0 || powBits > 0xff) {
            throw new GroupException(GroupException.Reason.BAD_INVITE, "invite pow_bits must be 0..255, got " + powBits);
        }
        admins = admins == null ? List.of() : admins.stream().filter(a -> !a.equals(owner)).distinct().toList();
    }

    /** At most this many keys are asked per join attempt, as upstream: an invite is untrusted text. */
    public static final int MAX_ADMISSION_TARGETS = 4;

    /** Whom to ask, in order: the founder, then the listed admins; never {@code self}, at most four. */
    public List<PeerKey> admissionTargets(PeerKey self) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(owner), admins.stream())
                .filter(pk -> !pk.equals(self)).limit(MAX_ADMISSION_TARGETS).toList();
    }
}
