package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupException.Reason;
import io.skychat.pair.GoJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who rules a group and who is in it, as immutable state with pure transitions (upstream's roster, admin and key
 * reconcilers and {@code replay_guard.go}). Two sets change independently, as upstream keeps them: the roster (add,
 * remove) and the admins (promote, demote). A member is anyone on either, so an admin always reads and posts; to
 * take a member who is an admin out of the group, demote and remove. Keeping the families apart is what lets every
 * node reach the same state whatever order the leaves arrive in: each subject converges on its newest change.
 * The founder is on both and can be neither demoted, removed nor banned.
 *
 * <p>A mutation applies only when it is signed, for this group, issued by a current admin, not dated more than five
 * minutes ahead, and strictly newer than the last one applied to the same subject ({@code mutationSeen}:
 * {@code r:<pk>}, {@code a:<pk>}, {@code k:group} → issued_at in unix nanoseconds, never pruned). REPLAYED is the
 * normal answer to an admin's start-up re-broadcast of changes already applied: nothing to do.
 */
public final class Governance {

    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final GroupId groupId;
    private final PeerKey founder;
    private final GroupKind kind;
    private final SortedSet admins;
    private final SortedSet roster;
    private final SortedSet members;
    private final SortedSet banned;
    private final SortedMap<String, Long> mutationSeen;
    private final long keyEpoch;

    /** Sorted by key bytes, so JSON and listings are stable. */
    private static final class SortedSet extends TreeSet<PeerKey> {
        private static final long serialVersionUID = 1L;

        SortedSet(Collection<PeerKey> c) {
            super(c);
        }
    }

    private Governance(GroupId groupId, PeerKey founder, GroupKind kind, Collection<PeerKey> admins,
            Collection<PeerKey> roster, Collection<PeerKey> banned, Map<String, Long> mutationSeen, long keyEpoch) {
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.founder = Objects.requireNonNull(founder, "founder");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.banned = new SortedSet(banned);
        this.banned.remove(founder);
        this.admins = new SortedSet(admins);
        this.admins.add(founder);
        this.admins.removeAll(this.banned);
        this.roster = new SortedSet(roster);
        this.roster.add(founder);
        this.roster.removeAll(this.banned);
        this.members = new SortedSet(this.roster);
        this.members.addAll(this.admins);
        this.mutationSeen = new TreeMap<>(mutationSeen);
        this.keyEpoch = keyEpoch;
    }

    /** A new group: the founder plus the members it starts with (on the roster). */
    public static Governance create(GroupId id, PeerKey founder, GroupKind kind, Collection<PeerKey> members) {
        return new Governance(id, founder, kind, Set.of(), members, Set.of(), Map.of(), 0);
    }

    /** A joiner's starting state from an admission answer: its {@code members} and {@code admins}. */
    public static Governance seed(GroupId id, PeerKey founder, GroupKind kind, Collection<PeerKey> members,
            Collection<PeerKey> admins) {
        return new Governance(id, founder, kind, admins, members, Set.of(), Map.of(), 0);
    }

    public GroupId groupId() {
        return groupId;
    }

    public PeerKey founder() {
        return founder;
    }

    public GroupKind kind() {
        return kind;
    }

    /** Founder included. */
    public Set<PeerKey> admins() {
        return Collections.unmodifiableSet(admins);
    }

    /** Everyone who reads and posts: the roster and the admins. */
    public Set<PeerKey> members() {
        return Collections.unmodifiableSet(members);
    }

    /** Those added to the roster (an admin need not be on it). */
    public Set<PeerKey> roster() {
        return Collections.unmodifiableSet(roster);
    }

    public Set<PeerKey> banned() {
        return Collections.unmodifiableSet(banned);
    }

    public Map<String, Long> mutationSeen() {
        return Collections.unmodifiableMap(mutationSeen);
    }

    public long keyEpoch() {
        return keyEpoch;
    }

    public boolean isFounder(PeerKey pk) {
        return founder.equals(pk);
    }

    public boolean isAdmin(PeerKey pk) {
        return pk != null && admins.contains(pk);
    }

    public boolean isMember(PeerKey pk) {
        return pk != null && members.contains(pk);
    }

    public boolean isBanned(PeerKey pk) {
        return pk != null && banned.contains(pk);
    }

    /** Why {@code pk} may not post now (upstream {@code CanPost} order: banned, then channel), or empty. */
    public Optional<String> postRefusal(PeerKey pk) {
        if (isBanned(pk)) {
            return Optional.of("you are banned from this group");
        }
        if (!isMember(pk)) {
            return Optional.of("you are not a member of this group");
        }
        if (kind.adminsOnlyPost() && !isAdmin(pk)) {
            return Optional.of("this is a channel: only admins can post");
        }
        return Optional.empty();
    }

    public boolean canPost(PeerKey pk) {
        return postRefusal(pk).isEmpty();
    }

    /** NOT_ALLOWED_TO_POST with the reason when {@link #canPost} is false. */
    public void checkCanPost(PeerKey pk) {
        postRefusal(pk).ifPresent(why -> {
            throw new GroupException(Reason.NOT_ALLOWED_TO_POST, why);
        });
    }

    public Governance apply(Mutation m) {
        return apply(m, Instant.now());
    }

    /**
     * The state after {@code m}. WRONG_GROUP, BAD_MUTATION, BAD_SIGNATURE, NOT_ADMIN (issuer is not a current
     * admin), STALE (dated more than five minutes ahead, or older than the last change to the same subject),
     * REPLAYED (the same issued_at as the last change: the same leaf again), FOUNDER_IMMUTABLE (demoting or
     * removing the founder).
     */
    public Governance apply(Mutation m, Instant now) {
        checkAuthority(m.groupId(), m.issuer(), m.issuedAtNano(), now, () -> m.verify(), m.what());
        String key = m.watermarkKey();
        checkFresh(key, m.issuedAtNano(), m.what());
        PeerKey peer = m.peer();
        if (isFounder(peer) && (m.isDemote() || m.isRemove())) {
            throw new GroupException(Reason.FOUNDER_IMMUTABLE, "the founder " + founder + " cannot be "
                    + (m.isDemote() ? "demoted" : "removed"));
        }
        SortedSet a = new SortedSet(admins);
        SortedSet r = new SortedSet(roster);
        if (m.isAdd()) {
            r.add(peer);
        } else if (m.isRemove()) {
            r.remove(peer);
        } else if (m.isPromote()) {
            a.add(peer);
        } else {
            a.remove(peer);
        }
        SortedSet b = new SortedSet(banned);
        if (m.isAdd() || m.isPromote()) {
            b.remove(peer); // an admin re-admitting a banned key means it
        }
        return new Governance(groupId, founder, kind, a, r, b, seen(key, m.issuedAtNano()), keyEpoch);
    }

    /**
     * Like {@link #apply(Mutation, Instant)}, and refuses (BAD_MUTATION) a mutation read from a feed other than its
     * issuer's. The roster and admin layouts sign the same bytes, so without this an admin's {@code add X} copied
     * to {@code admin/} on another member's feed would read as {@code promote X}.
     */
    public Governance apply(Mutation m, PeerKey fromFeed, Instant now) {
        if (m.issuer() == null || !m.issuer().equals(fromFeed)) {
            throw new GroupException(Reason.BAD_MUTATION, m.kind().pathPrefix() + " mutation read from the feed of "
                    + fromFeed + " but issued by " + m.issuer() + ": governance is only read from its issuer's feed");
        }
        return apply(m, now);
    }

    public Governance apply(KeyMutation m) {
        return apply(m, Instant.now());
    }

    /**
     * Checks a rotation as {@link #apply(Mutation, Instant)} checks a roster change (every rotation against every
     * other, on {@code k:group}) and records its epoch if higher. The key itself comes from
     * {@link KeyMutation#openFor} and goes into the {@link KeyRing}.
     */
    public Governance apply(KeyMutation m, Instant now) {
        String what = "key rotation to epoch " + Long.toUnsignedString(m.epoch());
        if (!kind.encrypted()) {
            throw new GroupException(Reason.BAD_MUTATION, what + " for a " + kind.wire() + " group, which has no key");
        }
        checkAuthority(m.groupId(), m.issuer(), m.issuedAtNano(), now, () -> m.verify(), what);
        checkFresh(m.watermarkKey(), m.issuedAtNano(), what);
        long epoch = Long.compareUnsigned(m.epoch(), keyEpoch) > 0 ? m.epoch() : keyEpoch;
        return new Governance(groupId, founder, kind, admins, roster, banned, seen(m.watermarkKey(), m.issuedAtNano()), epoch);
    }

    private void checkAuthority(GroupId id, PeerKey issuer, long issuedAtNano, Instant now, Runnable verify, String what) {
        if (!groupId.equals(id)) {
            throw new GroupException(Reason.WRONG_GROUP, what + " is for group " + id + ", not " + groupId);
        }
        verify.run();
        if (!isAdmin(issuer)) {
            throw new GroupException(Reason.NOT_ADMIN, what + " was issued by " + issuer + ", who is not an admin of the group");
        }
        if (issuedAtNano > GoJson.unixNano(now.plus(MAX_SKEW))) {
            throw new GroupException(Reason.STALE, what + " is dated " + Json.time(issuedAtNano)
                    + ", more than five minutes ahead of this clock");
        }
    }

    private void checkFresh(String key, long issuedAtNano, String what) {
        Long last = mutationSeen.get(key);
        if (last == null) {
            return;
        }
        if (issuedAtNano == last) {
            throw new GroupException(Reason.REPLAYED, what + " was already applied (issued at " + Json.time(issuedAtNano) + ")");
        }
        if (issuedAtNano < last) {
            throw new GroupException(Reason.STALE, what + " issued at " + Json.time(issuedAtNano)
                    + " is older than the last change applied to it (" + Json.time(last) + ")");
        }
    }

    private Map<String, Long> seen(String key, long issuedAtNano) {
        TreeMap<String, Long> out = new TreeMap<>(mutationSeen);
        out.merge(key, issuedAtNano, Math::max);
        return out;
    }

    /** Bars {@code pk}: out of the roster and the admins, refused at the join gate. FOUNDER_IMMUTABLE for the founder. */
    public Governance withBanned(PeerKey pk) {
        if (isFounder(pk)) {
            throw new GroupException(Reason.FOUNDER_IMMUTABLE, "the founder " + founder + " cannot be banned");
        }
        SortedSet b = new SortedSet(banned);
        b.add(pk);
        return new Governance(groupId, founder, kind, admins, roster, b, mutationSeen, keyEpoch);
    }

    public Governance withoutBanned(PeerKey pk) {
        SortedSet b = new SortedSet(banned);
        b.remove(pk);
        return new Governance(groupId, founder, kind, admins, roster, b, mutationSeen, keyEpoch);
    }

    public Governance withKeyEpoch(long epoch) {
        return new Governance(groupId, founder, kind, admins, roster, banned, mutationSeen, epoch);
    }

    /** KIND_IMMUTABLE: a group's kind is fixed at creation (a channel must never reopen to every member). */
    public Governance withKind(GroupKind newKind) {
        if (newKind != kind) {
            throw new GroupException(Reason.KIND_IMMUTABLE, "group " + groupId + " is a " + kind.wire()
                    + " group and cannot become " + newKind.wire());
        }
        return this;
    }

    /**
     * {@code {"group_id","owner_pk","kind","mode","admins","members","banned","key_epoch","mutation_seen"}} with
     * upstream Record field names ({@code members} is the roster); lists sorted, watermarks as RFC 3339 times.
     */
    public byte[] toJson() {
        StringBuilder seen = new StringBuilder("{");
        Iterator<Map.Entry<String, Long>> it = mutationSeen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            GoJson.quote(seen, e.getKey());
            seen.append(":\"").append(Json.time(e.getValue())).append('"').append(it.hasNext() ? "," : "");
        }
        seen.append('}');
        return new Json.Out().str("group_id", groupId.value()).pk("owner_pk", founder).str("kind", kind.wire())
                .str("mode", kind.mode()).pks("admins", admins.stream().toList()).pks("members", roster.stream().toList())
                .pks("banned", banned.stream().toList()).u64("key_epoch", keyEpoch).raw("mutation_seen", seen.toString())
                .bytes();
    }

    /** BAD_MUTATION when the persisted state does not decode. */
    public static Governance fromJson(byte[] json) {
        Json.In in = Json.In.parse(json, Reason.BAD_MUTATION, "group governance");
        GroupId id;
        GroupKind kind;
        try {
            id = GroupId.parse(in.str("group_id"));
            kind = GroupKind.parse(in.str("kind"));
        } catch (GroupException | IllegalArgumentException e) {
            throw in.fail(e.getMessage());
        }
        TreeMap<String, Long> seen = new TreeMap<>();
        Json.In s = in.object("mutation_seen");
        for (Iterator<String> names = s.node.propertyNames().iterator(); names.hasNext(); ) {
            String k = names.next();
            seen.put(k, s.time(k));
        }
        return new Governance(id, in.requiredPk("owner_pk"), kind, in.pks("admins"), in.pks("members"), in.pks("banned"),
                seen, in.unsigned("key_epoch", 64));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Governance g && g.groupId.equals(groupId) && g.founder.equals(founder) && g.kind == kind
                && g.admins.equals(admins) && g.roster.equals(roster) && g.banned.equals(banned)
                && g.mutationSeen.equals(mutationSeen) && g.keyEpoch == keyEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, founder, members);
    }

    @Override
    public String toString() {
        return "Governance[" + groupId + " " + kind.wire() + ", " + members.size() + " members, " + admins.size()
                + " admins, epoch " + Long.toUnsignedString(keyEpoch) + "]";
    }
}
