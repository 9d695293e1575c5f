package io.skychat.groups;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.skychat.core.ByteStream;
import io.skychat.core.ChatEvent;
import io.skychat.core.Direction;
import io.skychat.core.EventHub;
import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedLeaf;
import io.skychat.group.GroupAddress;
import io.skychat.group.GroupException;
import io.skychat.group.GroupId;
import io.skychat.group.GroupKey;
import io.skychat.group.GroupKind;
import io.skychat.group.GroupLeaf;
import io.skychat.group.GroupPaths;
import io.skychat.group.GroupPorts;
import io.skychat.group.Governance;
import io.skychat.group.Invite;
import io.skychat.group.InviteLinks;
import io.skychat.group.JoinPow;
import io.skychat.group.JoinRateLimit;
import io.skychat.group.JoinRequest;
import io.skychat.group.JoinResponse;
import io.skychat.group.JoinStatus;
import io.skychat.group.KeyMutation;
import io.skychat.group.KeyRing;
import io.skychat.group.Mutation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Groups over CXO feeds, upstream's federated topology (D1): every open group has a feed node of its own
 * ({@link GroupNodes}) under our identity key on the group's port. It publishes our tree for the group
 * ({@code msgs/<me>/<tsNano>/<seq>}, and for admins {@code roster/}, {@code admin/}, {@code keys/}) to the
 * current members, and follows the admins plus up to two other members (admins follow everyone and republish
 * every verified leaf, so any admin's feed carries the whole group and an offline member catches up from it).
 *
 * <p>Admission listens on {@code port + 1} ({@link JoinFrames}): the requester's key is the stream's
 * authenticated key; the answer is priced by proof of work and rate-limited per group; private groups wait
 * for an admin's approval, and the admission answer carries the current key. Roster and admin changes are
 * signed mutations applied only through {@link Governance#apply}; removing a member of a private group rotates
 * the key to the remaining members.
 *
 * <p>Threads: store work runs on the store thread, signing, verifying, sealing and proof of work on
 * {@code crypto}; a group's state is guarded by its session's monitor and never touched on an event loop for
 * long.
 */
public final class GroupService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HexFormat HEX = HexFormat.of();
    /** Leaves that did not open with any key held, per group, kept until the next key arrives. */
    static final int PARKED = 256;
    /** Non-admin members followed besides the admins (upstream: "a couple"). */
    static final int BACKFILL = 2;
    static final int MAX_NAME = 128;
    static final int MAX_HISTORY = 1000;

    private final String off;
    private final KeyPair identity;
    private final PeerKey self;
    private final GroupStore store;
    private final GroupNodes nodes;
    private final EventHub hub;
    private final Clock clock;
    private final Scheduler crypto;
    private final Scheduler timers;
    private final GroupSettings settings;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, GroupRecord> known = new ConcurrentHashMap<>();
    private final Map<String, Disposable> reasks = new ConcurrentHashMap<>();
    private final AtomicReference<Disposable> probes = new AtomicReference<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong lastIssued = new AtomicLong();
    private final AtomicLong leavesRefused = new AtomicLong();
    private final AtomicLong mutationsRefused = new AtomicLong();
    private volatile boolean closed;

    public GroupService(KeyPair identity, GroupStore store, GroupNodes nodes, EventHub hub, Clock clock,
                        Scheduler crypto, Scheduler timers, GroupSettings settings) {
        this(null, identity, store, nodes, hub, clock, crypto, timers, settings);
    }

    private GroupService(String off, KeyPair identity, GroupStore store, GroupNodes nodes, EventHub hub, Clock clock,
                         Scheduler crypto, Scheduler timers, GroupSettings settings) {
        this.off = off;
        this.identity = identity;
        this.self = identity == null ? null : identity.publicKey();
        this.store = store;
        this.nodes = nodes;
        this.hub = hub;
        this.clock = clock;
        this.crypto = crypto;
        this.timers = timers;
        this.settings = settings;
    }

    /** A service that answers every call with {@code UNAVAILABLE} and {@code reason} (no relay network, no key). */
    public static GroupService unavailable(String reason) {
        return new GroupService(reason, null, null, null, null, Clock.systemUTC(),
                reactor.core.scheduler.Schedulers.immediate(), reactor.core.scheduler.Schedulers.immediate(),
                GroupSettings.DEFAULTS);
    }

    public boolean available() {
        return off == null;
    }

    public GroupSettings settings() {
        return settings;
    }

    /** Leaves dropped (bad signature, not allowed to post, does not parse) and mutations refused, so far. */
    public long leavesRefused() {
        return leavesRefused.get();
    }

    public long mutationsRefused() {
        return mutationsRefused.get();
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    /** Reopens active groups (their feed nodes) and resumes pending joins. */
    public Mono<Void> start() {
        if (off != null) {
            return Mono.empty();
        }
        return store.all().flatMapMany(Flux::fromIterable).concatMap(r -> {
            known.put(r.id(), r);
            return switch (r.status()) {
                case "active" -> activate(r, true).onErrorResume(e -> {
                    log.warn("group {} not reopened: {}", r.id(), e.toString());
                    return Mono.empty();
                });
                case "awaiting_approval" -> {
                    scheduleReask(r, "");
                    yield Mono.empty();
                }
                default -> Mono.empty();
            };
        }).then(Mono.fromRunnable(this::listenForProbes));
    }

    /** Answers describe probes on the fixed probe port on every relay network, until {@link #close}. */
    private void listenForProbes() {
        if (closed) {
            return;
        }
        Disposable d = nodes.listen(GroupPorts.PROBE).subscribe(this::serveProbe,
                e -> log.warn("describe probe listener on port {} stopped: {}", GroupPorts.PROBE, e.toString()));
        Disposable old = probes.getAndSet(d);
        if (old != null) {
            old.dispose();
        }
        if (closed) {
            d.dispose();
        }
    }

    @Override
    public void close() {
        closed = true;
        Disposable p = probes.getAndSet(null);
        if (p != null) {
            p.dispose();
        }
        reasks.values().forEach(Disposable::dispose);
        reasks.clear();
        sessions.values().forEach(Session::end);
        sessions.clear();
    }

    // ---- the surface -----------------------------------------------------------------------------------

    public Mono<GroupView> create(String name, GroupKind kind, List<PeerKey> members) {
        return guard(() -> {
            String n = name == null ? "" : name.strip();
            if (n.isEmpty()) {
                throw GroupsException.invalid("a group needs a name");
            }
            if (n.length() > MAX_NAME) {
                throw GroupsException.invalid("group name is " + n.length() + " characters; the limit is " + MAX_NAME);
            }
            if (kind == null) {
                throw GroupsException.invalid("a group needs a kind: public, private or channel");
            }
            Set<PeerKey> all = new LinkedHashSet<>();
            all.add(self);
            if (members != null) {
                all.addAll(members);
            }
            GroupId gid = GroupId.random();
            Governance gov = Governance.create(gid, self, kind, all);
            KeyRing ring = kind.encrypted() ? KeyRing.of(GroupKey.random(0)) : KeyRing.empty();
            Instant now = clock.instant();
            GroupRecord r = new GroupRecord(gid.value(), n, kind.wire(), self,
                    10000 + random.nextInt(55000), settings.powBits(), "active", List.of(self), json(gov), ringJson(ring),
                    now, now, null);
            return r;
        }).subscribeOn(crypto).flatMap(r -> store.save(r).then(Mono.fromRunnable(() -> known.put(r.id(), r)))
                .then(activate(r, false)).flatMap(s -> broadcastRoster(s).thenReturn(s)).map(this::view));
    }

    public Mono<List<GroupView>> list() {
        return available(() -> store.all().map(all -> all.stream().map(this::view).toList()));
    }

    public Mono<GroupView> info(String id) {
        return record(id).map(this::view);
    }

    public Mono<String> inviteLink(String id) {
        return record(id).map(r -> {
            if (!"active".equals(r.status())) {
                throw GroupsException.conflict("group " + r.id() + " is " + r.status() + ", not active");
            }
            Governance gov = governance(r);
            List<PeerKey> admins = gov.admins().stream().filter(a -> !a.equals(gov.founder()))
                    .sorted(Comparator.comparing(PeerKey::hex)).toList();
            return InviteLinks.encode(new Invite(GroupId.parse(r.id()), r.name(), r.owner(), r.port(),
                    GroupKind.parse(r.kind()), admins, r.powBits()));
        });
    }

    /**
     * Joins by an invite link, or by the address {@code skychat://<owner>/<group-id>}: the owner is asked what the
     * group is first (the describe probe, {@link GroupPorts#PROBE}), and its answer is joined as a link would be.
     */
    public Mono<JoinOutcome> join(String linkOrAddress, String note) {
        return guard(() -> {
            String s = linkOrAddress == null ? "" : linkOrAddress.strip();
            if (s.isEmpty()) {
                throw GroupsException.invalid("join needs an invite link (skychat:invite:…) or an address "
                        + "(skychat://<pk>/<group-id>)");
            }
            String n = note == null ? "" : note;
            if (n.codePointCount(0, n.length()) > JoinRequest.MAX_NOTE) {
                throw GroupsException.invalid("join note is longer than " + JoinRequest.MAX_NOTE + " characters");
            }
            if (GroupAddress.looksLikeAddress(s)) {
                GroupAddress address = GroupAddress.parse(s); // says what is wrong with a malformed address
                if (!address.isGroup()) {
                    throw GroupsException.invalid(address + " names a person, not a group; a group's address is "
                            + "skychat://<pk>/<group-id>");
                }
                if (address.owner().equals(self)) {
                    throw GroupsException.conflict("this node hosts group " + address.groupId().get().value());
                }
                return new Object[] {address, n};
            }
            Invite invite = InviteLinks.decode(s);
            if (invite.owner().equals(self)) {
                throw GroupsException.conflict("this node founded group " + invite.id().value());
            }
            return new Object[] {invite, n};
        }).flatMap(p -> {
            String n = (String) p[1];
            if (p[0] instanceof GroupAddress address) {
                return joinByAddress(address, n);
            }
            Invite invite = (Invite) p[0];
            GroupRecord existing = known.get(invite.id().value());
            if (existing != null && "active".equals(existing.status())) {
                return Mono.just(new JoinOutcome(JoinStatus.ADMITTED.wire(), "already a member", view(existing)));
            }
            return ask(invite, n, false);
        });
    }

    private Mono<JoinOutcome> joinByAddress(GroupAddress address, String note) {
        GroupId gid = address.groupId().orElseThrow();
        GroupRecord existing = known.get(gid.value());
        if (existing != null && "active".equals(existing.status())) {
            return Mono.just(new JoinOutcome(JoinStatus.ADMITTED.wire(), "already a member", view(existing)));
        }
        if (existing != null && "awaiting_approval".equals(existing.status())) {
            return ask(inviteOf(existing), note, true); // known already: nothing to describe
        }
        return describe(address.owner(), gid).flatMap(r -> switch (r.status()) {
            case INFO -> {
                Invite invite;
                try {
                    invite = r.toInvite(address.owner());
                } catch (GroupException e) {
                    yield Mono.<JoinOutcome>error(GroupsException.unreachable(address.owner().hex() + " answered the describe "
                            + "probe for group " + gid.value() + " without a usable port: " + e.getMessage()));
                }
                yield ask(invite, note, false);
            }
            case BANNED -> Mono.<JoinOutcome>error(GroupsException.forbidden("banned from group " + gid.value()
                    + (r.name().isEmpty() ? "" : " (" + r.name() + ")") + (r.reason().isEmpty() ? "" : ": " + r.reason())));
            case UNAVAILABLE -> Mono.<JoinOutcome>error(GroupsException.missing("no group " + gid.value() + " at "
                    + address.owner().hex() + (r.reason().isEmpty() ? "" : ": " + r.reason())));
            default -> Mono.<JoinOutcome>error(GroupsException.unreachable(address.owner().hex() + " answered the describe probe for "
                    + "group " + gid.value() + " with \"" + r.status().wire() + "\"; ask for the invite link"));
        });
    }

    /**
     * Asks {@code host} what group {@code gid} is: one probe frame on {@link GroupPorts#PROBE}, one answer within the
     * join timeout. UNREACHABLE when the host cannot be dialled, closes the stream or answers nothing usable.
     */
    private Mono<JoinResponse> describe(PeerKey host, GroupId gid) {
        JoinRequest probe = JoinRequest.describe(gid, self, clock.instant());
        return nodes.dial(host, GroupPorts.PROBE)
                .onErrorMap(e -> GroupsException.unreachable("the group's host " + host.hex() + " is unreachable: "
                        + e.getMessage()))
                .flatMap(stream -> {
                    Mono<byte[]> first = JoinFrames.frames(stream.inbound()).next().cache();
                    first.subscribe(null, e -> { }); // read from the start: the answer may come before we ask
                    return stream.write(JoinFrames.frame(probe.toJson())).then(first)
                            .switchIfEmpty(Mono.error(() -> new IllegalStateException("closed without an answer")))
                            .map(JoinResponse::fromJson)
                            .timeout(settings.joinTimeout(), timers)
                            .onErrorMap(e -> !(e instanceof GroupsException), e -> GroupsException.unreachable(
                                    "the group's host " + host.hex() + " did not answer the describe probe for group "
                                            + gid.value() + ": " + (e instanceof java.util.concurrent.TimeoutException
                                            ? "no answer within " + settings.joinTimeout().toSeconds() + " s"
                                            : e.getMessage())))
                            .doFinally(sig -> stream.close());
                })
                .flatMap(r -> r.groupId().equals(gid) ? Mono.just(r) : Mono.error(GroupsException.unreachable(
                        host.hex() + " answered the describe probe for group " + gid.value() + " about group "
                                + r.groupId().value())));
    }

    public Mono<GroupText> send(String id, String text) {
        return activeSession(id).flatMap(s -> Mono.fromCallable(() -> {
            if (text == null || text.isEmpty()) {
                throw GroupsException.invalid("text is empty");
            }
            int size = text.getBytes(StandardCharsets.UTF_8).length;
            if (size > settings.maxText()) {
                throw GroupsException.invalid("message is " + size + " bytes; the limit is " + settings.maxText());
            }
            Instant now = clock.instant();
            long tsNano = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            long n = seq.incrementAndGet();
            GroupLeaf leaf;
            synchronized (s) {
                s.gov.checkCanPost(self);
                leaf = s.kind().encrypted()
                        ? GroupLeaf.sealed(identity, tsNano, text, s.ring.current().orElseThrow(() ->
                                GroupsException.unavailable("no key for private group " + s.id + " yet")))
                        : GroupLeaf.signed(identity, tsNano, text);
            }
            String path = GroupPaths.msg(self, tsNano, n);
            return new Object[] {path, leaf, new GroupText(self.hex() + "-" + tsNano + "-" + n, s.id, self, text, now,
                    tsNano, Direction.OUT)};
        }).subscribeOn(crypto).onErrorMap(GroupService::translate).flatMap(p -> {
            String path = (String) p[0];
            GroupLeaf leaf = (GroupLeaf) p[1];
            GroupText out = (GroupText) p[2];
            synchronized (s) {
                s.onOurFeed.add(path);
            }
            return s.node.node().publish(self, tree -> tree.put(path, leaf.toJson()))
                    .then(store.record(out))
                    .doOnNext(added -> {
                        if (added) {
                            s.lastMessageAt = Instant.now(clock);
                            hub.publish(event(out));
                        }
                    }).thenReturn(out);
        }));
    }

    public Mono<List<GroupText>> history(String id, Instant since, int limit) {
        if (limit < 1) {
            return Mono.error(GroupsException.invalid("limit must be at least 1, got " + limit));
        }
        return record(id).flatMap(r -> store.history(r.id(), since, Math.min(limit, MAX_HISTORY)));
    }

    public Mono<Void> leave(String id) {
        return record(id).flatMap(r -> end(r, "left"));
    }

    public Mono<Void> delete(String id) {
        return record(id).flatMap(r -> {
            if (!governance(r).isAdmin(self)) {
                throw GroupsException.forbidden("only an admin can delete group " + r.id() + "; leave it instead");
            }
            return end(r, "revoked");
        });
    }

    public Mono<GroupView> addMember(String id, PeerKey peer) {
        return mutate(id, Mutation.Kind.ROSTER, Mutation.ADD, peer);
    }

    public Mono<GroupView> removeMember(String id, PeerKey peer) {
        return mutate(id, Mutation.Kind.ROSTER, Mutation.REMOVE, peer);
    }

    public Mono<GroupView> promote(String id, PeerKey peer) {
        return mutate(id, Mutation.Kind.ADMIN, Mutation.PROMOTE, peer);
    }

    public Mono<GroupView> demote(String id, PeerKey peer) {
        return mutate(id, Mutation.Kind.ADMIN, Mutation.DEMOTE, peer);
    }

    public Mono<List<JoinRequestView>> joinRequests(String id) {
        return record(id).flatMap(r -> store.requests(r.id()));
    }

    /** Admits a pending requester: it becomes a member, and its next ask is answered {@code admitted}. */
    public Mono<GroupView> approve(String id, PeerKey peer) {
        return activeSession(id).flatMap(s -> store.dropRequest(s.id, peer).flatMap(had -> {
            synchronized (s) {
                if (!had && !s.pendingPeers.contains(peer)) {
                    throw GroupsException.missing("no join request from " + peer.hex() + " in group " + s.id);
                }
                s.pendingPeers.remove(peer);
                s.denied.remove(peer);
            }
            return mutate(id, Mutation.Kind.ROSTER, Mutation.ADD, peer);
        }));
    }

    public Mono<Void> deny(String id, PeerKey peer) {
        return activeSession(id).flatMap(s -> store.dropRequest(s.id, peer).map(had -> {
            synchronized (s) {
                if (!had && !s.pendingPeers.contains(peer)) {
                    throw GroupsException.missing("no join request from " + peer.hex() + " in group " + s.id);
                }
                s.pendingPeers.remove(peer);
                s.denied.add(peer);
            }
            return had;
        })).then();
    }

    public List<GroupStatusRow> statusRows() {
        if (off != null) {
            return List.of();
        }
        Instant now = clock.instant();
        List<GroupStatusRow> rows = new ArrayList<>();
        for (GroupRecord r : known.values().stream().sorted(Comparator.comparing(GroupRecord::createdAt)).toList()) {
            Session s = sessions.get(r.id());
            if (s == null) {
                GroupView v = view(r);
                rows.add(new GroupStatusRow(r.id(), r.name(), v.role(), r.status(), v.membersCount(), r.lastMessageAt(),
                        0, false, 0));
                continue;
            }
            GroupView v = view(s);
            Set<PeerKey> connected = s.node.node().connectedPeers();
            boolean alive;
            synchronized (s) {
                alive = s.follows.keySet().stream().anyMatch(connected::contains);
            }
            Instant last = s.lastLeafAt;
            long lag = last == null ? 0 : Math.max(0, Duration.between(last, now).toSeconds());
            rows.add(new GroupStatusRow(r.id(), r.name(), v.role(), v.status(), v.membersCount(), v.lastMessageAt(), lag,
                    alive, s.subDrops.get()));
        }
        return rows;
    }

    // ---- sessions --------------------------------------------------------------------------------------

    /** An open group: its node, governance, keys and subscriptions. Guarded by its own monitor. */
    private final class Session {
        final String id;
        final GroupId gid;
        final GroupNodes.GroupNode node;
        GroupRecord record;
        Governance gov;
        KeyRing ring;
        /** Followed feeds (their owners) and the subscription to each. */
        final Map<PeerKey, Disposable> follows = new HashMap<>();
        /** Message paths on our own tree: our leaves and, for admins, those republished. */
        final Set<String> onOurFeed = new HashSet<>();
        /** Signatures of governance leaves already applied or refused. */
        final Set<String> governanceSeen = new HashSet<>();
        final ArrayDeque<FeedLeaf> parked = new ArrayDeque<>();
        final Set<PeerKey> pendingPeers = new HashSet<>();
        final Set<PeerKey> denied = new HashSet<>();
        final JoinRateLimit rate;
        final AtomicLong subDrops = new AtomicLong();
        long treeSeq = 1;
        Disposable admission;
        Disposable rebroadcast;
        volatile Instant lastLeafAt;
        volatile Instant lastMessageAt;

        Session(GroupRecord record, GroupNodes.GroupNode node) {
            this.id = record.id();
            this.gid = GroupId.parse(record.id());
            this.node = node;
            this.record = record;
            this.gov = governance(record);
            this.ring = ring(record.keyRing());
            this.rate = new JoinRateLimit(settings.rateBurst(), settings.rateRefill());
            this.lastMessageAt = record.lastMessageAt();
        }

        GroupKind kind() {
            return gov.kind();
        }

        GroupRecord snapshot() {
            GroupRecord r = record.withState(json(gov), ringJson(ring));
            record = r;
            return r;
        }

        void end() {
            Disposable a;
            List<Disposable> f;
            synchronized (this) {
                a = admission;
                admission = null;
                f = new ArrayList<>(follows.values());
                follows.clear();
                if (rebroadcast != null) {
                    rebroadcast.dispose();
                }
            }
            if (a != null) {
                a.dispose();
            }
            f.forEach(Disposable::dispose);
            node.close();
        }
    }

    private Mono<Session> activate(GroupRecord r, boolean restarted) {
        if (closed) {
            return Mono.error(GroupsException.unavailable("the group service is stopping"));
        }
        Session running = sessions.get(r.id());
        if (running != null) {
            return Mono.just(running);
        }
        return Mono.fromCallable(() -> new Session(r, nodes.open(r.id(), r.port()))).subscribeOn(crypto)
                .flatMap(s -> {
                    Set<PeerKey> allow;
                    synchronized (s) {
                        allow = allowlist(s);
                    }
                    return s.node.node().share(identity, allow)
                            .then(s.node.node().entries(self))
                            .flatMap(entries -> store.requests(s.id).map(pending -> {
                                synchronized (s) {
                                    for (String path : entries.keySet()) {
                                        if (path.startsWith(GroupPaths.MSGS + "/")) {
                                            s.onOurFeed.add(path);
                                        } else {
                                            for (String prefix : List.of(GroupPaths.ROSTER, GroupPaths.ADMIN, GroupPaths.KEYS)) {
                                                GroupPaths.parseSeq(prefix, path).ifPresent(n ->
                                                        s.treeSeq = Math.max(s.treeSeq, n + 1));
                                            }
                                        }
                                    }
                                    pending.forEach(p -> s.pendingPeers.add(p.peer()));
                                }
                                return s;
                            }))
                            .onErrorResume(e -> {
                                s.end();
                                return Mono.error(e);
                            });
                })
                .flatMap(s -> {
                    if (closed || sessions.putIfAbsent(s.id, s) != null) {
                        s.end(); // opened twice at once, or stopping: one node per group
                        return Mono.justOrEmpty(sessions.get(s.id));
                    }
                    synchronized (s) {
                        refollow(s);
                        if (restarted && s.gov.isAdmin(self)) {
                            // upstream re-broadcasts the roster shortly after start-up so members converge
                            s.rebroadcast = Mono.delay(settings.rosterRebroadcast(), timers)
                                    .flatMap(t -> broadcastRoster(s))
                                    .subscribe(null, e -> log.info("group {}: roster re-broadcast failed: {}", s.id,
                                            e.toString()));
                        }
                    }
                    return Mono.just(s);
                });
    }

    /** Who may fetch our feed of the group: the other current members. */
    private Set<PeerKey> allowlist(Session s) {
        Set<PeerKey> out = new HashSet<>(s.gov.members());
        out.remove(self);
        return out;
    }

    private Set<PeerKey> followTargets(Session s) {
        return followTargets(self, s.gov.admins(), s.gov.members(), s.kind().adminsOnlyPost());
    }

    /**
     * Whose feeds a member follows: everyone, as an admin (it mirrors them); the admins and up to
     * {@link #BACKFILL} other members (the next ones after {@code self} in key order, so the followers spread),
     * as a member; in a channel only the admins (no peer backfill). Nobody once we are not a member.
     */
    static Set<PeerKey> followTargets(PeerKey self, Set<PeerKey> admins, Set<PeerKey> members, boolean channel) {
        Set<PeerKey> out = new LinkedHashSet<>();
        if (!members.contains(self)) {
            return out;
        }
        if (admins.contains(self)) {
            members.stream().sorted(Comparator.comparing(PeerKey::hex)).forEach(out::add);
        } else {
            admins.stream().sorted(Comparator.comparing(PeerKey::hex)).forEach(out::add);
            if (!channel) {
                List<PeerKey> others = members.stream().filter(m -> !admins.contains(m) && !m.equals(self))
                        .sorted(Comparator.comparing(PeerKey::hex)).toList();
                int at = 0;
                while (at < others.size() && others.get(at).hex().compareTo(self.hex()) < 0) {
                    at++;
                }
                for (int i = 0; i < Math.min(BACKFILL, others.size()); i++) {
                    out.add(others.get((at + i) % others.size()));
                }
            }
        }
        out.remove(self);
        return out;
    }

    /** Brings subscriptions, the dialled peers and the admission listener in line with the governance. Holds s. */
    private void refollow(Session s) {
        if (closed || sessions.get(s.id) != s) {
            return;
        }
        Set<PeerKey> targets = followTargets(s);
        s.follows.entrySet().removeIf(e -> {
            if (!targets.contains(e.getKey())) {
                e.getValue().dispose();
                return true;
            }
            return false;
        });
        for (PeerKey p : targets) {
            s.follows.computeIfAbsent(p, peer -> follow(s, peer));
        }
        s.node.keepUp(targets);
        boolean admin = s.gov.isAdmin(self);
        if (admin && s.admission == null) {
            s.admission = nodes.listen(s.record.port() + 1)
                    .subscribe(stream -> serve(s, stream),
                            e -> log.warn("group {}: admission listener stopped: {}", s.id, e.toString()));
        } else if (!admin && s.admission != null) {
            s.admission.dispose();
            s.admission = null;
        }
    }

    private Disposable follow(Session s, PeerKey peer) {
        return Flux.defer(() -> s.node.node().subscribe(peer, peer))
                .bufferUntil(FeedLeaf::lastOfRoot)
                .publishOn(crypto)
                .concatMap(batch -> onBatch(s, batch))
                .doOnError(e -> {
                    s.subDrops.incrementAndGet();
                    log.info("group {}: following {} failed: {}", s.id, peer, e.getMessage());
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(250)).maxBackoff(settings.subscribeRetryMax())
                        .transientErrors(true).filter(e -> !closed && sessions.get(s.id) == s))
                .subscribe(null, e -> log.info("group {}: stopped following {}: {}", s.id, peer, e.getMessage()));
    }

    // ---- inbound leaves --------------------------------------------------------------------------------

    /** One Root's new leaves: key rotations first, then roster and admin changes, then messages. */
    private Mono<Void> onBatch(Session s, List<FeedLeaf> batch) {
        List<GroupText> texts = new ArrayList<>();
        Map<String, byte[]> republishMsgs = new LinkedHashMap<>();
        boolean changed = false;
        boolean removed = false;
        Set<PeerKey> allow = null;
        synchronized (s) {
            if (sessions.get(s.id) != s) {
                return Mono.empty();
            }
            s.lastLeafAt = clock.instant();
            Set<PeerKey> membersBefore = Set.copyOf(s.gov.members());
            boolean newKey = false;
            // governance only from its issuer's own feed, oldest first: the replay guard then keeps the newest
            // change per subject whatever order the tree lists the leaves in
            List<Change> changes = new ArrayList<>();
            for (FeedLeaf leaf : batch) {
                Object m = governanceLeaf(s, leaf);
                if (m != null) {
                    changes.add(new Change(leaf.feed(), m));
                }
            }
            changes.sort(Comparator.comparingLong(Change::issuedAt));
            for (Change c : changes) {
                Object m = c.change();
                if (m instanceof KeyMutation km) {
                    Boolean applied = applyKeys(s, km);
                    if (applied != null) {
                        changed = true;
                        newKey |= applied;
                    }
                } else if (applyMutation(s, (Mutation) m, c.feed())) {
                    changed = true;
                }
            }
            List<FeedLeaf> messages = new ArrayList<>();
            if (newKey) {
                messages.addAll(s.parked);
                s.parked.clear();
            }
            for (FeedLeaf leaf : batch) {
                if (leaf.path().startsWith(GroupPaths.MSGS + "/")) {
                    messages.add(leaf);
                }
            }
            boolean admin = s.gov.isAdmin(self);
            for (FeedLeaf leaf : messages) {
                GroupText t = message(s, leaf, admin, republishMsgs);
                if (t != null) {
                    texts.add(t);
                }
            }
            if (changed) {
                if (!s.gov.isMember(self)) {
                    removed = true;
                } else {
                    if (!membersBefore.equals(s.gov.members())) {
                        allow = allowlist(s);
                    }
                    refollow(s); // a promotion elsewhere adds a feed to follow, even when the roster stays
                }
            }
        }
        Mono<Void> work = Mono.empty();
        if (allow != null) {
            work = work.then(s.node.node().allow(self, allow));
        }
        if (!republishMsgs.isEmpty()) {
            work = work.then(republish(s, republishMsgs));
        }
        if (changed) {
            work = work.then(persist(s));
        }
        boolean out = removed;
        return work.thenMany(Flux.fromIterable(texts)).concatMap(t -> store.record(t).doOnNext(added -> {
                    if (added) {
                        s.lastMessageAt = clock.instant();
                        hub.publish(event(t));
                    }
                }))
                .then(Mono.fromRunnable(() -> {
                    if (out) {
                        // on its own: ending the session cancels this very subscription
                        GroupRecord r;
                        synchronized (s) {
                            r = s.snapshot();
                        }
                        end(r, "removed").subscribe(null, e -> log.warn("group {}: removal not saved: {}", s.id,
                                e.toString()));
                    }
                }))
                .then()
                .onErrorResume(e -> {
                    log.warn("group {}: leaves not handled: {}", s.id, e.toString());
                    return Mono.empty();
                });
    }

    /** A governance leaf and the feed it was read from. */
    private record Change(PeerKey feed, Object change) {
        long issuedAt() {
            return change instanceof Mutation m ? m.issuedAtNano() : ((KeyMutation) change).issuedAtNano();
        }
    }

    /** A roster, admin or key leaf parsed and unseen so far; null for messages, leaves seen, and junk (counted). Holds s. */
    private Object governanceLeaf(Session s, FeedLeaf leaf) {
        boolean keys = GroupPaths.parseSeq(GroupPaths.KEYS, leaf.path()).isPresent();
        Mutation.Kind kind = GroupPaths.parseSeq(GroupPaths.ROSTER, leaf.path()).isPresent() ? Mutation.Kind.ROSTER
                : GroupPaths.parseSeq(GroupPaths.ADMIN, leaf.path()).isPresent() ? Mutation.Kind.ADMIN : null;
        if (!keys && kind == null) {
            return null;
        }
        try {
            byte[] sig;
            Object m;
            if (keys) {
                KeyMutation km = KeyMutation.fromJson(leaf.value());
                sig = km.signature();
                m = km;
                if (km.issuer() == null || !km.issuer().equals(leaf.feed())) {
                    throw new GroupException(GroupException.Reason.BAD_MUTATION, "key rotation read from the feed of "
                            + leaf.feed() + " but issued by " + km.issuer());
                }
            } else {
                Mutation mu = Mutation.fromJson(kind, leaf.value());
                sig = mu.signature();
                m = mu;
            }
            String seen = leaf.feed().hex() + ":" + leaf.path() + ":" + HEX.formatHex(sig == null ? new byte[0] : sig);
            return s.governanceSeen.add(seen) ? m : null;
        } catch (GroupException | IllegalArgumentException e) {
            mutationsRefused.incrementAndGet();
            log.info("group {}: governance leaf {} of {} refused: {}", s.id, leaf.path(), leaf.feed(), e.getMessage());
            return null;
        }
    }

    /** Applies a rotation; null when refused, else whether it gave us a new key. Holds s. */
    private Boolean applyKeys(Session s, KeyMutation km) {
        try {
            s.gov = s.gov.apply(km, clock.instant());
            var key = km.openFor(identity);
            key.ifPresent(k -> s.ring = s.ring.install(k, km.issuedAtNano()));
            return key.isPresent();
        } catch (GroupException | IllegalArgumentException e) {
            mutationsRefused.incrementAndGet();
            log.info("group {}: key rotation refused: {}", s.id, e.getMessage());
            return null;
        }
    }

    /** Applies a roster or admin change read from its issuer's feed; false when refused. Holds s. */
    private boolean applyMutation(Session s, Mutation m, PeerKey fromFeed) {
        try {
            s.gov = s.gov.apply(m, fromFeed, clock.instant());
            return true;
        } catch (GroupException | IllegalArgumentException e) {
            mutationsRefused.incrementAndGet();
            log.info("group {}: {} refused: {}", s.id, m.kind(), e.getMessage());
            return false;
        }
    }

    /** Checks and opens one message leaf; null when it is ours, refused or parked. Holds s. */
    private GroupText message(Session s, FeedLeaf leaf, boolean admin, Map<String, byte[]> republishMsgs) {
        byte[] value = leaf.value();
        if (value.length == 0) {
            return null; // an empty leaf is no leaf (a pruned message)
        }
        try {
            GroupPaths.MsgPath path = GroupPaths.parseMsg(leaf.path()).orElseThrow(() ->
                    new GroupException(GroupException.Reason.BAD_LEAF, "not a message path: " + leaf.path()));
            if (path.sender().equals(self)) {
                return null; // our own, echoed back by an admin
            }
            if (value.length > settings.maxText() * 2 + 1024) {
                throw new GroupException(GroupException.Reason.BAD_LEAF, "leaf of " + value.length + " bytes");
            }
            GroupLeaf g = GroupLeaf.fromJson(value);
            if (!g.senderPk().equals(path.sender()) || g.tsNano() != path.tsNano()) {
                throw new GroupException(GroupException.Reason.BAD_LEAF, "leaf at " + leaf.path() + " names "
                        + g.senderPk() + " at " + g.tsNano());
            }
            g.verify();
            s.gov.checkCanPost(g.senderPk());
            if (s.kind().encrypted() != g.isSealed()) {
                throw new GroupException(GroupException.Reason.BAD_LEAF, s.kind().encrypted()
                        ? "plaintext leaf in a private group" : "sealed leaf in a public group");
            }
            if (admin && s.onOurFeed.add(leaf.path())) {
                republishMsgs.put(leaf.path(), value); // verbatim: the author's signature still covers it
            }
            String text;
            if (g.isSealed()) {
                try {
                    text = s.ring.open(g);
                } catch (RuntimeException e) {
                    if (s.parked.size() < PARKED) {
                        s.parked.addLast(leaf); // perhaps sealed under a key still on its way
                    } else {
                        leavesRefused.incrementAndGet();
                    }
                    return null;
                }
            } else {
                text = g.text();
            }
            Instant ts = Instant.ofEpochSecond(Math.floorDiv(g.tsNano(), 1_000_000_000L),
                    Math.floorMod(g.tsNano(), 1_000_000_000L));
            return new GroupText(path.sender().hex() + "-" + path.tsNano() + "-" + path.seq(), s.id, path.sender(), text,
                    ts, g.tsNano(), Direction.IN);
        } catch (GroupException | IllegalArgumentException e) {
            leavesRefused.incrementAndGet();
            log.debug("group {}: leaf {} dropped: {}", s.id, leaf.path(), e.getMessage());
            return null;
        }
    }

    /** An admin mirrors verified message leaves of others on its own feed, verbatim at their own path. */
    private Mono<Void> republish(Session s, Map<String, byte[]> msgs) {
        return s.node.node().publish(self, tree -> msgs.forEach(tree::put)).then()
                .onErrorResume(e -> {
                    log.info("group {}: republishing failed: {}", s.id, e.toString());
                    return Mono.empty();
                });
    }

    // ---- governance, ours ------------------------------------------------------------------------------

    private long issuedAt() {
        Instant now = clock.instant();
        long ns = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return lastIssued.updateAndGet(last -> Math.max(last + 1, ns));
    }

    private Mono<GroupView> mutate(String id, Mutation.Kind kind, int op, PeerKey peer) {
        if (peer == null) {
            return Mono.error(GroupsException.invalid("a member key is needed"));
        }
        return activeSession(id).flatMap(s -> Mono.fromCallable(() -> {
            Map<String, byte[]> puts = new LinkedHashMap<>();
            Set<PeerKey> allow;
            synchronized (s) {
                if (!s.gov.isAdmin(self)) {
                    throw GroupsException.forbidden("only an admin can change group " + s.id + "'s members or admins");
                }
                long at = s.treeSeq++;
                Mutation m = Mutation.unsigned(kind, s.gid, op, peer, at - 1, issuedAt()).sign(identity);
                Governance next = s.gov.apply(m, clock.instant());
                puts.put(m.path(at), m.toJson());
                if (kind == Mutation.Kind.ROSTER && op == Mutation.REMOVE && s.kind().encrypted()) {
                    // the removed member holds the current key: the rest get a new one it never sees
                    long epoch = Math.max(s.gov.keyEpoch(), s.ring.current().map(GroupKey::epoch).orElse(0L)) + 1;
                    GroupKey key = GroupKey.random(epoch);
                    Set<PeerKey> recipients = new HashSet<>(next.members());
                    recipients.remove(self);
                    long kat = s.treeSeq++;
                    KeyMutation km = KeyMutation.rotate(identity, s.gid, epoch, key, recipients, kat - 1, issuedAt());
                    next = next.apply(km, clock.instant());
                    s.ring = s.ring.install(key, km.issuedAtNano());
                    puts.put(km.path(kat), km.toJson());
                }
                s.gov = next;
                allow = allowlist(s);
                refollow(s);
            }
            return new Object[] {puts, allow};
        }).subscribeOn(crypto).onErrorMap(GroupService::translate).flatMap(p -> {
            @SuppressWarnings("unchecked")
            Map<String, byte[]> puts = (Map<String, byte[]>) p[0];
            @SuppressWarnings("unchecked")
            Set<PeerKey> allow = (Set<PeerKey>) p[1];
            Mono<?> published;
            if (op == Mutation.REMOVE && kind == Mutation.Kind.ROSTER) {
                // the removal (and the new key, which it cannot open) while the member still gets our Roots, so it
                // learns it is out; a while later, time to fetch the last of them, the allowlist drops it
                published = s.node.node().publish(self, tree -> puts.forEach(tree::put))
                        .doOnSuccess(root -> Mono.delay(settings.removeGrace(), timers)
                                .then(Mono.defer(() -> {
                                    synchronized (s) {
                                        return s.node.node().allow(self, allowlist(s));
                                    }
                                }))
                                .subscribe(null, e -> log.info("group {}: allowlist not updated: {}", s.id, e.toString())));
            } else {
                // the allowlist first, so a member just added can fetch the Root that names it
                published = s.node.node().allow(self, allow).then(s.node.node().publish(self, tree -> puts.forEach(tree::put)));
            }
            return published.then(persist(s)).then(Mono.fromCallable(() -> view(s)));
        }));
    }

    /** Publishes signed adds for every member and promotions for every admin (upstream re-broadcasts at start-up). */
    private Mono<Void> broadcastRoster(Session s) {
        return Mono.fromCallable(() -> {
            Map<String, byte[]> puts = new LinkedHashMap<>();
            synchronized (s) {
                if (!s.gov.isAdmin(self) || sessions.get(s.id) != s) {
                    return puts;
                }
                PeerKey founder = s.gov.founder();
                List<PeerKey> members = s.gov.members().stream().filter(m -> !m.equals(founder))
                        .sorted(Comparator.comparing(PeerKey::hex)).toList();
                List<PeerKey> admins = s.gov.admins().stream().filter(m -> !m.equals(founder))
                        .sorted(Comparator.comparing(PeerKey::hex)).toList();
                for (PeerKey m : members) {
                    long at = s.treeSeq++;
                    Mutation mu = Mutation.unsigned(Mutation.Kind.ROSTER, s.gid, Mutation.ADD, m, at - 1, issuedAt())
                            .sign(identity);
                    puts.put(mu.path(at), mu.toJson());
                }
                for (PeerKey a : admins) {
                    long at = s.treeSeq++;
                    Mutation mu = Mutation.unsigned(Mutation.Kind.ADMIN, s.gid, Mutation.PROMOTE, a, at - 1, issuedAt())
                            .sign(identity);
                    puts.put(mu.path(at), mu.toJson());
                }
            }
            return puts;
        }).subscribeOn(crypto).flatMap(puts -> puts.isEmpty() ? Mono.<Void>empty()
                : s.node.node().publish(self, tree -> puts.forEach(tree::put)).then());
    }

    // ---- the describe probe, the host's side ------------------------------------------------------------

    /**
     * One probe per stream: one frame (at most {@link JoinFrames#MAX} bytes) within the join timeout, one answer,
     * then the stream is closed. A frame that does not parse, or names another requester, is dropped unanswered.
     */
    private void serveProbe(ByteStream stream) {
        PeerKey remote = stream.peer();
        // the read stays subscribed until the answer is written: cancelling it closes the stream
        JoinFrames.frames(stream.inbound())
                .concatMap(frame -> Mono.fromCallable(() -> DescribeProbe.answer(JoinRequest.fromJson(frame), remote,
                                this::hosted))
                        .subscribeOn(crypto)
                        .flatMap(resp -> stream.write(JoinFrames.frame(resp.toJson())))
                        .thenReturn(Boolean.TRUE), 1)
                .next()
                .timeout(settings.joinTimeout(), timers)
                .doFinally(sig -> stream.close())
                .subscribe(null, e -> log.debug("describe probe from {} dropped: {}", remote, e.toString()));
    }

    /** A group open here, as the describe probe may tell of it. */
    private Optional<DescribeProbe.Hosted> hosted(GroupId gid) {
        Session s = sessions.get(gid.value());
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            if (sessions.get(s.id) != s || !"active".equals(s.record.status())) {
                return Optional.empty();
            }
            return Optional.of(new DescribeProbe.Hosted(s.gid, s.record.name(), s.kind(), s.record.port(),
                    s.record.powBits(), s.gov.isAdmin(self), Set.copyOf(s.gov.banned())));
        }
    }

    // ---- admission, the admin's side -------------------------------------------------------------------

    private void serve(Session s, ByteStream stream) {
        PeerKey remote = stream.peer();
        JoinFrames.frames(stream.inbound())
                .take(4) // a request and its retry after a challenge, with room for a re-ask
                .concatMap(frame -> answer(s, remote, frame))
                .concatMap(resp -> stream.write(JoinFrames.frame(resp.toJson())))
                .timeout(settings.joinTimeout().multipliedBy(2), timers)
                .doFinally(sig -> stream.close())
                .subscribe(null, e -> log.debug("group {}: admission stream from {} ended: {}", s.id, remote, e.toString()));
    }

    private Mono<JoinResponse> answer(Session s, PeerKey remote, byte[] frame) {
        return Mono.fromCallable(() -> JoinRequest.fromJson(frame)).subscribeOn(crypto)
                .flatMap(req -> decide(s, remote, req))
                .onErrorResume(GroupException.class, e -> Mono.just(response(s, JoinStatus.DENIED, e.getMessage(), 0)));
    }

    private Mono<JoinResponse> decide(Session s, PeerKey remote, JoinRequest req) {
        if (!req.groupId().equals(s.gid)) {
            return Mono.just(response(s, JoinStatus.UNAVAILABLE, "no group " + req.groupId().value() + " here", 0));
        }
        if (!req.requester().equals(remote)) {
            return Mono.just(response(s, JoinStatus.DENIED, "requester_pk is not the key of the stream it came on", 0));
        }
        int bits;
        synchronized (s) {
            if (sessions.get(s.id) != s || !s.gov.isAdmin(self)) {
                return Mono.just(response(s, JoinStatus.UNAVAILABLE, "not an admin of this group", 0));
            }
            if (s.gov.banned().contains(remote)) {
                return Mono.just(response(s, JoinStatus.BANNED, "banned from this group", 0));
            }
            if (s.gov.isMember(remote)) {
                return Mono.just(admitted(s));
            }
            if (s.denied.contains(remote)) {
                return Mono.just(response(s, JoinStatus.DENIED, "an admin denied the request", 0));
            }
            if (s.pendingPeers.contains(remote)) {
                return Mono.just(response(s, JoinStatus.PENDING, "waiting for an admin's approval", 0));
            }
            bits = s.record.powBits();
        }
        if (bits > 0) {
            JoinRequest.Pow pow = req.pow();
            if (pow == null || pow.bits() < bits
                    || !JoinPow.verify(s.gid, remote, pow.tsUnix(), pow.nonce(), bits, clock.instant())) {
                return Mono.just(response(s, JoinStatus.CHALLENGE, "solve a proof of work of " + bits + " bits", 0));
            }
        }
        long wait = s.rate.tryAcquire(s.id, clock.instant())
                .map(d -> Math.max(1, (d.toMillis() + 999) / 1000)).orElse(0L);
        if (wait > 0) {
            return Mono.just(response(s, JoinStatus.THROTTLED, "too many join requests; try again later", (int) wait));
        }
        if (!s.kind().encrypted()) {
            return mutate(s.id, Mutation.Kind.ROSTER, Mutation.ADD, remote).map(v -> {
                synchronized (s) {
                    return admitted(s);
                }
            });
        }
        return store.request(s.id, remote, req.note() == null ? "" : req.note(), clock.instant(), settings.maxPending())
                .map(ok -> {
                    if (!ok) {
                        return response(s, JoinStatus.THROTTLED, "too many join requests waiting for approval", 0);
                    }
                    synchronized (s) {
                        s.pendingPeers.add(remote);
                    }
                    return response(s, JoinStatus.PENDING, "waiting for an admin's approval", 0);
                });
    }

    /** Holds s. */
    private JoinResponse admitted(Session s) {
        GroupKey key = s.kind().encrypted() ? s.ring.current().orElse(null) : null;
        return new JoinResponse(s.gid, JoinStatus.ADMITTED, s.record.name(), s.kind(), key == null ? null : key.bytes(),
                key == null ? 0 : key.epoch(), sorted(s.gov.members()), sorted(s.gov.admins()), List.of(), false, false,
                s.record.powBits(), 0, "", s.record.port(), s.kind().joinPolicy(), "");
    }

    private JoinResponse response(Session s, JoinStatus status, String reason, int retryAfter) {
        return new JoinResponse(s.gid, status, s.record.name(), s.kind(), null, 0, List.of(), List.of(), List.of(),
                false, false, s.record.powBits(), retryAfter, reason, s.record.port(), s.kind().joinPolicy(), "");
    }

    private static List<PeerKey> sorted(Set<PeerKey> keys) {
        return keys.stream().sorted(Comparator.comparing(PeerKey::hex)).toList();
    }

    // ---- admission, the joiner's side ------------------------------------------------------------------

    /** Asks the founder, then each listed admin {@code joinStagger} apart; the first decision wins. */
    private Mono<JoinOutcome> ask(Invite invite, String note, boolean again) {
        List<PeerKey> targets = invite.admissionTargets(self);
        if (targets.isEmpty()) {
            return Mono.error(GroupsException.invalid("the invite names nobody to ask but this node"));
        }
        AtomicReference<JoinResponse> lastOther = new AtomicReference<>();
        return Flux.range(0, targets.size())
                .flatMap(i -> Mono.delay(settings.joinStagger().multipliedBy(i), timers)
                        .then(askOne(invite, targets.get(i), note, again))
                        .onErrorResume(e -> {
                            log.info("group {}: join request to {} failed: {}", invite.id().value(), targets.get(i),
                                    e.toString());
                            return Mono.empty();
                        }))
                .doOnNext(lastOther::set)
                .filter(r -> r.status().isDecision())
                .next()
                .switchIfEmpty(Mono.fromSupplier(() -> lastOther.get() != null ? lastOther.get()
                        : new JoinResponse(invite.id(), JoinStatus.UNAVAILABLE, invite.name(), invite.kind(), null, 0,
                                List.of(), List.of(), List.of(), false, false, 0, 0,
                                "no admin of the group answered", invite.port(), invite.kind().joinPolicy(), "")))
                .flatMap(r -> outcome(invite, r, note));
    }

    private Mono<JoinResponse> askOne(Invite invite, PeerKey target, String note, boolean again) {
        return nodes.dial(target, invite.port() + 1).flatMap(stream -> {
            Flux<byte[]> in = JoinFrames.frames(stream.inbound()).cache();
            in.subscribe(null, e -> { }); // read from the start: the answer may come before we ask for it
            Mono<JoinResponse> first = request(invite, note, again, invite.powBits())
                    .flatMap(req -> stream.write(JoinFrames.frame(req.toJson())).then(in.next()))
                    .map(bytes -> JoinResponse.fromJson(bytes));
            return first.flatMap(r -> {
                if (r.status() != JoinStatus.CHALLENGE) {
                    return Mono.just(r);
                }
                return request(invite, note, again, Math.min(JoinPow.MAX_BITS, Math.max(r.powBits(), 1)))
                        .flatMap(req -> stream.write(JoinFrames.frame(req.toJson())).then(in.elementAt(1)))
                        .map(bytes -> JoinResponse.fromJson(bytes));
            })
                    .timeout(settings.joinTimeout(), timers)
                    .doFinally(sig -> stream.close());
        });
    }

    private Mono<JoinRequest> request(Invite invite, String note, boolean again, int bits) {
        return Mono.fromCallable(() -> {
            Instant now = clock.instant();
            long ts = now.getEpochSecond();
            JoinRequest.Pow pow = bits > 0 ? new JoinRequest.Pow(ts, JoinPow.solve(invite.id(), self, ts, bits), bits)
                    : new JoinRequest.Pow(ts, 0, 0);
            return new JoinRequest(invite.id(), self, note, pow, again, false, now);
        }).subscribeOn(crypto);
    }

    private Mono<JoinOutcome> outcome(Invite invite, JoinResponse r, String note) {
        String id = invite.id().value();
        Instant now = clock.instant();
        GroupRecord existing = known.get(id);
        List<PeerKey> admission = new ArrayList<>();
        admission.add(invite.owner());
        admission.addAll(invite.admins());
        String reason = r.reason() == null ? "" : r.reason();
        switch (r.status()) {
            case ADMITTED -> {
                // a decision ends the re-asking by itself (takeUntil); disposing it here would cancel this very answer
                reasks.remove(id);
                Governance gov = Governance.seed(invite.id(), invite.owner(), invite.kind(), r.members(), r.admins());
                KeyRing ring = KeyRing.empty();
                if (invite.kind().encrypted()) {
                    if (r.aesKey() == null) {
                        return Mono.just(new JoinOutcome(JoinStatus.UNAVAILABLE.wire(),
                                "admitted to a private group without its key", view(invite, "pending")));
                    }
                    ring = KeyRing.of(new GroupKey(r.aesKey(), r.keyEpoch()));
                    gov = gov.withKeyEpoch(r.keyEpoch());
                }
                GroupRecord rec = new GroupRecord(id, r.name() == null || r.name().isBlank() ? invite.name() : r.name(),
                        invite.kind().wire(), invite.owner(), invite.port(), invite.powBits(), "active", admission,
                        json(gov), ringJson(ring), existing == null ? now : existing.createdAt(), now,
                        existing == null ? null : existing.lastMessageAt());
                return store.save(rec).then(Mono.fromRunnable(() -> known.put(id, rec)))
                        .then(activate(rec, false))
                        .map(s -> new JoinOutcome(JoinStatus.ADMITTED.wire(), reason, view(s)));
            }
            case PENDING -> {
                GroupRecord rec = existing != null ? existing.withStatus("awaiting_approval")
                        : new GroupRecord(id, invite.name(), invite.kind().wire(), invite.owner(), invite.port(),
                                invite.powBits(), "awaiting_approval", admission,
                                json(Governance.seed(invite.id(), invite.owner(), invite.kind(), admission, admission)), null, now,
                                null, null);
                return store.save(rec).then(Mono.fromRunnable(() -> {
                    known.put(id, rec);
                    scheduleReask(rec, note);
                })).thenReturn(new JoinOutcome(JoinStatus.PENDING.wire(), reason, view(rec)));
            }
            case DENIED, BANNED -> {
                reasks.remove(id);
                String status = r.status() == JoinStatus.DENIED ? "denied" : "banned";
                if (existing == null) {
                    return Mono.just(new JoinOutcome(r.status().wire(), reason, view(invite, status)));
                }
                GroupRecord rec = existing.withStatus(status);
                return store.save(rec).then(Mono.fromRunnable(() -> known.put(id, rec)))
                        .thenReturn(new JoinOutcome(r.status().wire(), reason, view(rec)));
            }
            default -> {
                return Mono.just(new JoinOutcome(r.status().wire(), reason,
                        existing != null ? view(existing) : view(invite, "pending")));
            }
        }
    }

    private void scheduleReask(GroupRecord r, String note) {
        if (closed) {
            return;
        }
        Invite invite = inviteOf(r);
        Disposable d = Flux.interval(settings.pendingRetry(), settings.pendingRetry(), timers)
                .onBackpressureDrop()
                .concatMap(tick -> ask(invite, note, true).onErrorResume(e -> Mono.empty()))
                .takeUntil(o -> !JoinStatus.PENDING.wire().equals(o.status())
                        && !JoinStatus.UNAVAILABLE.wire().equals(o.status())
                        && !JoinStatus.THROTTLED.wire().equals(o.status()))
                .subscribe(null, e -> log.info("group {}: asking again failed: {}", r.id(), e.toString()));
        Disposable old = reasks.put(r.id(), d);
        if (old != null) {
            old.dispose();
        }
    }

    /** The invite a record we hold amounts to: whom to ask for admission, on which port. */
    private static Invite inviteOf(GroupRecord r) {
        List<PeerKey> admins = r.admission().stream().filter(a -> !a.equals(r.owner())).toList();
        return new Invite(GroupId.parse(r.id()), r.name(), r.owner(), r.port(), governance(r).kind(), admins,
                r.powBits());
    }

    private void stopReask(String id) {
        Disposable d = reasks.remove(id);
        if (d != null) {
            d.dispose();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private Mono<Void> end(GroupRecord r, String status) {
        stopReask(r.id());
        Session s = sessions.remove(r.id());
        GroupRecord base = r;
        if (s != null) {
            synchronized (s) {
                base = s.snapshot();
            }
            s.end();
        }
        GroupRecord next = base.withStatus(status);
        known.put(next.id(), next);
        return store.save(next);
    }

    /** Saves the session's governance and key ring; saves are queued in the order the state moved. */
    private Mono<Void> persist(Session s) {
        Sinks.Empty<Void> done = Sinks.empty();
        synchronized (s) {
            GroupRecord r = s.snapshot();
            known.put(r.id(), r);
            store.save(r).subscribe(null, e -> {
                log.warn("group {}: state not saved: {}", s.id, e.toString());
                done.tryEmitError(e);
            }, done::tryEmitEmpty);
        }
        return done.asMono();
    }

    private Mono<Session> activeSession(String id) {
        return record(id).flatMap(r -> {
            Session s = sessions.get(r.id());
            if (s == null) {
                return Mono.error(GroupsException.conflict("group " + r.id() + " is " + r.status() + ", not active"));
            }
            return Mono.just(s);
        });
    }

    private Mono<GroupRecord> record(String id) {
        return available(() -> {
            String gid;
            try {
                gid = GroupId.parse(id == null ? "" : id.strip()).value();
            } catch (GroupException | IllegalArgumentException e) {
                return Mono.error(GroupsException.invalid("not a group id: \"" + id + "\""));
            }
            return store.find(gid).switchIfEmpty(Mono.error(() -> GroupsException.notFound(gid)));
        });
    }

    private <T> Mono<T> available(java.util.function.Supplier<Mono<T>> work) {
        return off != null ? Mono.error(GroupsException.unavailable(off)) : Mono.defer(work);
    }

    private <T> Mono<T> guard(java.util.concurrent.Callable<T> work) {
        return available(() -> Mono.fromCallable(work).onErrorMap(GroupService::translate));
    }

    /** The domain's refusals as the surface's kinds. */
    static Throwable translate(Throwable e) {
        if (!(e instanceof GroupException g)) {
            return e;
        }
        GroupsException.Kind kind = switch (g.reason()) {
            case NOT_ADMIN, FOUNDER_IMMUTABLE, NOT_ALLOWED_TO_POST, KIND_IMMUTABLE -> GroupsException.Kind.FORBIDDEN;
            case REPLAYED, STALE -> GroupsException.Kind.CONFLICT;
            default -> GroupsException.Kind.BAD_REQUEST;
        };
        return new GroupsException(kind, g.getMessage());
    }

    private ChatEvent.GroupText event(GroupText t) {
        return new ChatEvent.GroupText(t.id(), t.direction(), t.groupId(), t.sender(), t.text(), t.ts(), t.tsNano());
    }

    private GroupView view(Session s) {
        synchronized (s) {
            GroupRecord r = s.record;
            Instant last = s.lastMessageAt;
            return view(r.id(), r.name(), s.gov, r.port(), r.status(), last,
                    s.ring.current().map(GroupKey::epoch).orElse(0L));
        }
    }

    private GroupView view(GroupRecord r) {
        Session s = sessions.get(r.id());
        if (s != null) {
            return view(s);
        }
        Governance gov = governance(r);
        KeyRing ring = ring(r.keyRing());
        return view(r.id(), r.name(), gov, r.port(), r.status(), r.lastMessageAt(),
                ring.current().map(GroupKey::epoch).orElse(0L));
    }

    private GroupView view(Invite invite, String status) {
        List<PeerKey> admins = new ArrayList<>();
        admins.add(invite.owner());
        admins.addAll(invite.admins());
        return new GroupView(invite.id().value(), invite.name(), invite.kind(), invite.kind().mode(), "member", status,
                invite.owner(), admins, List.of(), invite.port(), 0, null, 0);
    }

    private GroupView view(String id, String name, Governance gov, int port, String status, Instant last, long epoch) {
        PeerKey founder = gov.founder();
        String role = founder.equals(self) ? "owner" : gov.isAdmin(self) ? "admin" : "member";
        List<PeerKey> admins = new ArrayList<>();
        admins.add(founder);
        gov.admins().stream().filter(a -> !a.equals(founder)).sorted(Comparator.comparing(PeerKey::hex)).forEach(admins::add);
        List<PeerKey> members = sorted(gov.members());
        return new GroupView(id, name, gov.kind(), gov.kind().mode(), role, status, founder, admins, members, port,
                members.size(), last, epoch);
    }

    private static Governance governance(GroupRecord r) {
        return Governance.fromJson(r.governance().getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Governance gov) {
        return new String(gov.toJson(), StandardCharsets.UTF_8);
    }

    /** The key ring at rest: {@code {"issued_at":n,"keys":[{"epoch":n,"key":"<hex>"},…]}}, current key first. */
    static String ringJson(KeyRing ring) {
        StringBuilder s = new StringBuilder("{\"issued_at\":").append(ring.currentIssuedAtNano()).append(",\"keys\":[");
        boolean first = true;
        for (GroupKey k : ring.keys()) {
            if (!first) {
                s.append(',');
            }
            first = false;
            s.append("{\"epoch\":").append(Long.toUnsignedString(k.epoch())).append(",\"key\":\"")
                    .append(HEX.formatHex(k.bytes())).append("\"}");
        }
        return s.append("]}").toString();
    }

    static KeyRing ring(String json) {
        if (json == null || json.isBlank()) {
            return KeyRing.empty();
        }
        JsonNode root = JSON.readTree(json);
        List<GroupKey> keys = new ArrayList<>();
        for (JsonNode k : root.path("keys")) {
            keys.add(new GroupKey(HEX.parseHex(k.path("key").asString()), Long.parseUnsignedLong(k.path("epoch").asString())));
        }
        return KeyRing.of(keys, root.path("issued_at").asLong());
    }
}
