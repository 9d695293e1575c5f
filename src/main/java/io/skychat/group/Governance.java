package io.skychat.group;

import io.skychat.core.PeerKey;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Who rules a group and who is in it, as immutable state with pure transitions. The founder is always an
 * admin and a member; admins are members. {@code mutationSeen} is the replay guard: the newest
 * {@code issued_at} applied per subject.
 */
public final class Governance {

    private Governance() {
    }

    public static Governance create(PeerKey founder, GroupKind kind, Collection<PeerKey> members) {
        throw new UnsupportedOperationException();
    }

    /** A joiner's starting state from an admission answer. */
    public static Governance seed(PeerKey founder, GroupKind kind, Collection<PeerKey> members, Collection<PeerKey> admins) {
        throw new UnsupportedOperationException();
    }

    public PeerKey founder() {
        throw new UnsupportedOperationException();
    }

    public GroupKind kind() {
        throw new UnsupportedOperationException();
    }

    public Set<PeerKey> admins() {
        throw new UnsupportedOperationException();
    }

    public Set<PeerKey> members() {
        throw new UnsupportedOperationException();
    }

    public Set<PeerKey> banned() {
        throw new UnsupportedOperationException();
    }

    public Map<String, Long> mutationSeen() {
        throw new UnsupportedOperationException();
    }

    public long keyEpoch() {
        throw new UnsupportedOperationException();
    }

    public boolean isAdmin(PeerKey pk) {
        throw new UnsupportedOperationException();
    }

    public boolean isMember(PeerKey pk) {
        throw new UnsupportedOperationException();
    }

    public boolean canPost(PeerKey pk) {
        throw new UnsupportedOperationException();
    }

    /** NOT_ALLOWED_TO_POST with the reason when {@link #canPost} is false. */
    public void checkCanPost(PeerKey pk) {
        throw new UnsupportedOperationException();
    }

    public Governance apply(Mutation m) {
        throw new UnsupportedOperationException();
    }

    /** Checks a rotation the way {@link #apply(Mutation)} checks a roster change and records its epoch. */
    public Governance apply(KeyMutation m) {
        throw new UnsupportedOperationException();
    }

    public Governance withBanned(PeerKey pk) {
        throw new UnsupportedOperationException();
    }

    public Governance withKeyEpoch(long epoch) {
        throw new UnsupportedOperationException();
    }

    public byte[] toJson() {
        throw new UnsupportedOperationException();
    }

    public static Governance fromJson(byte[] json) {
        throw new UnsupportedOperationException();
    }
}
