package io.skychat.pairs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.skychat.core.ChatEvent;
import io.skychat.core.ChatService;
import io.skychat.core.Direction;
import io.skychat.core.Envelope;
import io.skychat.core.EventHub;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedLeaf;
import io.skychat.feed.node.FeedNode;
import io.skychat.pair.EpochEnvelope;
import io.skychat.pair.PairCipher;
import io.skychat.pair.PairMessage;
import io.skychat.pair.PairPort;
import io.skychat.pair.RatchetAnnounce;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Pairs: the consent handshake on the chat link and, once a pair is active, its two CXO feeds.
 *
 * <p>Handshake: {@link #invite} stores {@code pending-out} and sends {@code pair-invite}, again and again
 * with backoff (also after a restart) until the peer answers {@code pair-ack} or {@code pair-decline}, or
 * the pair is removed. An invite received is stored {@code pending-in} and shown; {@link #accept} answers
 * {@code pair-ack}, {@link #decline} {@code pair-decline}. Repeated invites for an answered pair get the same
 * answer again, so a lost answer costs one retry.
 *
 * <p>Feeds (upstream's topology): an active pair has a feed node of its own ({@link PairNodes}), bound to our
 * identity key and listening on the pair port ({@link PairPort}). It publishes our feed, whose key is our
 * identity key, to the peer alone, and follows the peer's feed, whose key is the peer's identity key. Message
 * leaves are sealed as {@code io.skychat.pair} describes; removing a pair closes its node.
 *
 * <p>Threads: store work runs on the store thread, sealing, opening and ECDH on {@code crypto}; nothing
 * here runs on an event loop for long.
 */
public final class PairService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PairService.class);
    /** Leaves waiting for an epoch not known yet, per pair. */
    static final int PARKED = 256;

    private final KeyPair identity;
    private final PeerKey self;
    private final PairStore store;
    private final PairNodes nodes;
    private final ChatService chat;
    private final EventHub hub;
    private final Clock clock;
    private final Scheduler crypto;
    private final Scheduler timers;
    private final PairSettings settings;
    private final PairCounters counters = new PairCounters();
    private final Map<PeerKey, Disposable> inviteTimers = new ConcurrentHashMap<>();
    private final Map<PeerKey, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile boolean closed;

    public PairService(KeyPair identity, PairStore store, PairNodes nodes, ChatService chat, EventHub hub, Clock clock,
                       Scheduler crypto, Scheduler timers, PairSettings settings) {
        this.identity = identity;
        this.self = identity.publicKey();
        this.store = store;
        this.nodes = nodes;
        this.chat = chat;
        this.hub = hub;
        this.clock = clock;
        this.crypto = crypto;
        this.timers = timers;
        this.settings = settings;
        // from now, not from start(): chat links come up before this service starts, and a peer's invite or
        // answer arriving in between would otherwise be dropped as unhandled
        chat.onPairControl(this::onControl);
        chat.onLinkUp(this::linkUp);
    }

    public PairCounters counters() {
        return counters;
    }

    public PairSettings settings() {
        return settings;
    }

    /** The ratchet generation of our side of an active pair (0 when none). */
    public long ratchetGeneration(PeerKey peer) {
        Session s = sessions.get(peer);
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            return s.ratchet.generation();
        }
    }

    /** The feed node of an active pair (it publishes our feed, key = our identity key, to the peer alone). */
    public java.util.Optional<FeedNode> node(PeerKey peer) {
        Session s = sessions.get(peer);
        return s == null ? java.util.Optional.empty() : java.util.Optional.of(s.node.node());
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    /** Reopens active pairs (their feed nodes) and resumes unanswered invites. */
    public Mono<Void> start() {
        return store.all().flatMapMany(Flux::fromIterable).concatMap(r -> switch (r.status()) {
            case ACTIVE -> activate(r);
            case PENDING_OUT -> {
                scheduleInvite(r.peer(), Duration.ZERO, settings.inviteRetryMin());
                yield Mono.empty();
            }
            default -> Mono.empty();
        }).then();
    }

    @Override
    public void close() {
        closed = true;
        inviteTimers.values().forEach(Disposable::dispose);
        inviteTimers.clear();
        sessions.values().forEach(Session::end);
        sessions.clear();
    }

    // ---- the surface -----------------------------------------------------------------------------------

    public Mono<List<PairRecord>> list() {
        return store.all().map(all -> all.stream()
                .sorted(Comparator.comparing((PairRecord r) -> r.establishedAt() == null ? r.createdAt() : r.establishedAt()))
                .toList());
    }

    public Mono<List<PairRecord>> invites() {
        return store.all().map(all -> all.stream().filter(r -> r.status() == PairStatus.PENDING_IN).toList());
    }

    /** Invites the peer (or accepts its pending invite: both want the pair). Idempotent on an active pair. */
    public Mono<PairRecord> invite(PeerKey peer) {
        if (peer.equals(self)) {
            return Mono.error(PairsException.self());
        }
        Instant now = clock.instant();
        return store.find(peer).flatMap(r -> switch (r.status()) {
            case ACTIVE, PENDING_OUT -> Mono.just(r);
            case PENDING_IN -> acceptRecord(r);
            default -> pendingOut(r.withStatus(PairStatus.PENDING_OUT, now));
        }).switchIfEmpty(Mono.defer(() -> pendingOut(PairRecord.fresh(peer, PairStatus.PENDING_OUT, now))));
    }

    private Mono<PairRecord> pendingOut(PairRecord r) {
        return store.save(r).then(Mono.fromRunnable(() -> scheduleInvite(r.peer(), Duration.ZERO, settings.inviteRetryMin())))
                .thenReturn(r);
    }

    public Mono<Void> accept(PeerKey peer) {
        return store.find(peer).filter(r -> r.status() == PairStatus.PENDING_IN)
                .switchIfEmpty(Mono.error(() -> PairsException.noInvite(peer)))
                .flatMap(this::acceptRecord).then();
    }

    private Mono<PairRecord> acceptRecord(PairRecord r) {
        Instant now = clock.instant();
        PairRecord active = r.withStatus(PairStatus.ACTIVE, now);
        return store.save(active).then(activate(active))
                .then(Mono.fromRunnable(() -> {
                    hub.publish(new ChatEvent.PairHandshake(r.peer(), "accepted", now));
                    answer(r.peer(), Envelope.PairControl.ACK);
                }))
                .thenReturn(active);
    }

    public Mono<Void> decline(PeerKey peer) {
        Instant now = clock.instant();
        return store.find(peer).filter(r -> r.status() == PairStatus.PENDING_IN)
                .switchIfEmpty(Mono.error(() -> PairsException.noInvite(peer)))
                .flatMap(r -> store.save(r.withStatus(PairStatus.DECLINED, now)))
                .then(Mono.fromRunnable(() -> {
                    hub.publish(new ChatEvent.PairHandshake(peer, "declined", now));
                    answer(peer, Envelope.PairControl.DECLINE);
                }));
    }

    /** Ends the pair: invites stop, our feed is served to nobody, the peer's is no longer followed. */
    public Mono<Void> remove(PeerKey peer) {
        Instant now = clock.instant();
        return store.find(peer).switchIfEmpty(Mono.error(() -> PairsException.notFound(peer)))
                .flatMap(r -> store.save(r.withStatus(PairStatus.REVOKED, now)))
                .then(Mono.defer(() -> {
                    Disposable timer = inviteTimers.remove(peer);
                    if (timer != null) {
                        timer.dispose();
                    }
                    Session s = sessions.remove(peer);
                    if (s != null) {
                        s.end(); // upstream closes the pair's node: nothing listens on the pair port any more
                    }
                    return Mono.empty();
                }));
    }

    /** Publishes one message on our feed of the pair; answers its id ({@code <ts unixnano>-<seq>}). */
    public Mono<PairText> send(PeerKey peer, String text) {
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        if (size > settings.maxText()) {
            return Mono.error(SkychatException.messageTooLarge(size, settings.maxText()));
        }
        if (text.isEmpty()) {
            return Mono.error(SkychatException.badRequest("text is empty"));
        }
        return activeSession(peer).flatMap(s -> Mono.fromCallable(() -> {
            Instant now = clock.instant();
            PairMessage m = PairMessage.chat(text, now, seq.incrementAndGet());
            synchronized (s) {
                Sealed sealed = s.seal(m.toJson(), now);
                return new Object[] {m, sealed};
            }
        }).subscribeOn(crypto).flatMap(pair -> {
            PairMessage m = (PairMessage) pair[0];
            Sealed sealed = (Sealed) pair[1];
            return s.node.node().publish(self, tree -> {
                if (sealed.announce != null) {
                    tree.put(sealed.announce.leafPath(), sealed.announce.toJson());
                }
                tree.put(m.leafPath(), sealed.leaf);
            }).then(sealed.ratchetJson == null ? Mono.empty() : store.saveRatchet(peer, sealed.ratchetJson))
                    .then(Mono.defer(() -> {
                        PairText out = new PairText(peer, m.msgId(), true, text, m.ts());
                        counters.messagesSent.incrementAndGet();
                        return store.record(out).doOnNext(added -> hub.publish(new ChatEvent.PairText(m.msgId(),
                                Direction.OUT, self, peer, text, m.ts()))).thenReturn(out);
                    }));
        }));
    }

    /** Retracts one of our own messages: its leaf goes, a delete record names it. */
    public Mono<Boolean> deleteMessage(PeerKey peer, String id) {
        return activeSession(peer).flatMap(s -> store.delete(peer, id, true).flatMap(had -> {
            if (!had) {
                return Mono.just(false);
            }
            return Mono.fromCallable(() -> {
                Instant now = clock.instant();
                PairMessage d = PairMessage.delete(id, now, seq.incrementAndGet());
                synchronized (s) {
                    return new Object[] {d, s.seal(d.toJson(), now)};
                }
            }).subscribeOn(crypto).flatMap(pair -> {
                PairMessage d = (PairMessage) pair[0];
                Sealed sealed = (Sealed) pair[1];
                int dash = id.indexOf('-');
                String target = PairMessage.PATH_PREFIX + "/" + id.substring(0, Math.max(0, dash)) + "/" + id.substring(dash + 1);
                return s.node.node().publish(self, tree -> {
                    if (sealed.announce != null) {
                        tree.put(sealed.announce.leafPath(), sealed.announce.toJson());
                    }
                    tree.delete(target);
                    tree.put(d.leafPath(), sealed.leaf);
                }).then(sealed.ratchetJson == null ? Mono.empty() : store.saveRatchet(peer, sealed.ratchetJson))
                        .thenReturn(true);
            });
        }));
    }

    public Mono<List<PairText>> inbox(Instant since, int limit) {
        return store.inbox(since, limit);
    }

    private Mono<Session> activeSession(PeerKey peer) {
        return Mono.defer(() -> {
            Session s = sessions.get(peer);
            if (s != null) {
                return Mono.just(s);
            }
            return store.find(peer).switchIfEmpty(Mono.error(() -> PairsException.notFound(peer)))
                    .flatMap(r -> Mono.error(PairsException.notActive(peer, r.status())));
        });
    }

    // ---- the handshake ---------------------------------------------------------------------------------

    private Mono<Void> onControl(PeerKey peer, Envelope.PairControl control) {
        Instant now = clock.instant();
        return store.find(peer).map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty()).flatMap(found -> {
            PairRecord r = found.orElse(null);
            PairStatus status = r == null ? null : r.status();
            switch (control) {
                case INVITE -> {
                    if (status == PairStatus.ACTIVE) {
                        answer(peer, Envelope.PairControl.ACK); // our earlier ack was lost
                        return Mono.empty();
                    }
                    if (status == PairStatus.DECLINED) {
                        answer(peer, Envelope.PairControl.DECLINE);
                        return Mono.empty();
                    }
                    if (status == PairStatus.PENDING_OUT) {
                        return acceptRecord(r).then(); // both invited: that is consent on both sides
                    }
                    if (status == PairStatus.PENDING_IN) {
                        return Mono.empty(); // a retry of an invite already shown
                    }
                    PairRecord pending = r == null ? PairRecord.fresh(peer, PairStatus.PENDING_IN, now)
                            : r.withStatus(PairStatus.PENDING_IN, now);
                    return store.save(pending).then(Mono.fromRunnable(() ->
                            hub.publish(new ChatEvent.PairHandshake(peer, "received", now))));
                }
                case ACK -> {
                    if (status != PairStatus.PENDING_OUT) {
                        counters.controlIgnored.incrementAndGet();
                        return Mono.empty();
                    }
                    stopInvites(peer);
                    PairRecord active = r.withStatus(PairStatus.ACTIVE, now);
                    return store.save(active).then(activate(active)).then(Mono.fromRunnable(() ->
                            hub.publish(new ChatEvent.PairHandshake(peer, "accepted", now))));
                }
                case DECLINE -> {
                    if (status != PairStatus.PENDING_OUT) {
                        counters.controlIgnored.incrementAndGet();
                        return Mono.empty();
                    }
                    stopInvites(peer);
                    return store.save(r.withStatus(PairStatus.DECLINED, now)).then(Mono.fromRunnable(() ->
                            hub.publish(new ChatEvent.PairHandshake(peer, "declined", now))));
                }
                default -> {
                    return Mono.empty();
                }
            }
        });
    }

    /** A chat link to the peer opened: an unanswered invite goes out now, not at its next retry. */
    private void linkUp(PeerKey peer) {
        if (inviteTimers.containsKey(peer)) {
            scheduleInvite(peer, Duration.ZERO, settings.inviteRetryMin());
        }
    }

    private void answer(PeerKey peer, Envelope.PairControl control) {
        chat.sendControl(peer, control).subscribe(null, e -> log.debug("{} to {} not written: {}", control.type(),
                peer, e.getMessage()));
    }

    private void stopInvites(PeerKey peer) {
        Disposable d = inviteTimers.remove(peer);
        if (d != null) {
            d.dispose();
        }
    }

    /** Sends the invite after {@code delay}; unless answered or removed by then, again after {@code next}. */
    private void scheduleInvite(PeerKey peer, Duration delay, Duration next) {
        if (closed) {
            return;
        }
        Disposable task = Mono.delay(delay, timers)
                .then(store.find(peer))
                .filter(r -> r.status() == PairStatus.PENDING_OUT)
                .flatMap(r -> chat.sendControl(peer, Envelope.PairControl.INVITE)
                        .doOnSuccess(v -> counters.invitesSent.incrementAndGet())
                        .onErrorResume(e -> {
                            counters.inviteFailures.incrementAndGet();
                            log.debug("invite to {} not written: {}", peer, e.getMessage());
                            return Mono.empty();
                        })
                        .then(store.save(r.withAttempt(clock.instant())))
                        .thenReturn(Boolean.TRUE))
                .subscribe(again -> {
                    Duration after = next.multipliedBy(2);
                    scheduleInvite(peer, next, after.compareTo(settings.inviteRetryMax()) > 0 ? settings.inviteRetryMax() : after);
                }, e -> {
                    log.warn("invite to {} stopped: {}", peer, e.getMessage());
                });
        Disposable old = inviteTimers.put(peer, task);
        if (old != null && old != task) {
            old.dispose();
        }
    }

    // ---- the feeds -------------------------------------------------------------------------------------

    private record Sealed(byte[] leaf, RatchetAnnounce announce, String ratchetJson) {
    }

    /** An active pair's node, keys, ratchet and subscription. Guarded by its own monitor. */
    private final class Session {
        final PeerKey peer;
        final PairNodes.PairNode node;
        final byte[] staticKey;
        final Ratchet ratchet;
        final ArrayDeque<FeedLeaf> parked = new ArrayDeque<>();
        volatile Disposable subscription = () -> { };

        Session(PeerKey peer, PairNodes.PairNode node, byte[] staticKey, Ratchet ratchet) {
            this.peer = peer;
            this.node = node;
            this.staticKey = staticKey;
            this.ratchet = ratchet;
        }

        void end() {
            subscription.dispose();
            node.close();
        }

        Sealed seal(byte[] plaintext, Instant now) {
            long before = ratchet.generation();
            boolean hadPeer = ratchet.peerAnnounced();
            Ratchet.Step step = ratchet.beforeSend(identity, now, settings.rotateAfter(), settings.rotateAge());
            if (ratchet.generation() != before) {
                counters.rotations.incrementAndGet();
            }
            byte[] leaf = step.epoch() == null ? PairCipher.seal(staticKey, plaintext)
                    : EpochEnvelope.seal(step.epoch(), plaintext).encode();
            // the state is saved whenever it moved: a new generation, an announcement, a count in the epoch
            String json = step.announce() != null || step.epoch() != null || hadPeer ? ratchet.toJson() : null;
            return new Sealed(leaf, step.announce(), json);
        }
    }

    private Mono<Void> activate(PairRecord r) {
        PeerKey peer = r.peer();
        if (closed || sessions.containsKey(peer)) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> new Session(peer, nodes.open(peer, PairPort.of(self, peer)),
                        PairCipher.staticKey(identity, peer), Ratchet.fromJson(r.ratchet())))
                .subscribeOn(crypto)
                .flatMap(s -> s.node.node().share(identity, Set.of(peer))
                        .onErrorResume(e -> {
                            s.end();
                            return Mono.error(e);
                        })
                        .then(Mono.fromRunnable(() -> {
                            if (closed || sessions.putIfAbsent(peer, s) != null) {
                                s.end(); // activated twice at once, or stopping: one node per pair
                            } else {
                                s.subscription = follow(s);
                            }
                        })))
                .then();
    }

    private Disposable follow(Session s) {
        return Flux.defer(() -> s.node.node().subscribe(s.peer, s.peer))
                .bufferUntil(FeedLeaf::lastOfRoot)
                .publishOn(crypto)
                .concatMap(batch -> onBatch(s, batch))
                .doOnError(e -> {
                    counters.subscribeFailures.incrementAndGet();
                    log.info("following the pair feed of {} failed: {}", s.peer, e.getMessage());
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(250)).maxBackoff(settings.subscribeRetryMax())
                        .transientErrors(true).filter(e -> !closed))
                .subscribe(null, e -> log.warn("stopped following the pair feed of {}: {}", s.peer, e.getMessage()));
    }

    /** One Root's new leaves: announcements first (upstream's order), then messages, then parked leaves. */
    private Mono<Void> onBatch(Session s, List<FeedLeaf> batch) {
        List<PairText> texts = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        String ratchetJson = null;
        synchronized (s) {
            boolean newEpochs = false;
            for (FeedLeaf leaf : batch) {
                if (leaf.path().startsWith(RatchetAnnounce.PATH_PREFIX + "/")) {
                    try {
                        newEpochs |= s.ratchet.peerAnnounced(RatchetAnnounce.fromJson(leaf.value(), s.peer));
                    } catch (SkychatException | IllegalArgumentException e) {
                        counters.announcementsRefused.incrementAndGet();
                        log.info("ratchet announcement {} from {} refused: {}", leaf.path(), s.peer, e.getMessage());
                    }
                }
            }
            if (newEpochs) {
                ratchetJson = s.ratchet.toJson();
            }
            List<FeedLeaf> messages = new ArrayList<>();
            if (newEpochs) {
                messages.addAll(s.parked);
                s.parked.clear();
            }
            for (FeedLeaf leaf : batch) {
                if (leaf.path().startsWith(PairMessage.PATH_PREFIX + "/")) {
                    messages.add(leaf);
                } else if (!leaf.path().startsWith(RatchetAnnounce.PATH_PREFIX + "/")) {
                    counters.leavesRefused.incrementAndGet(); // nothing else belongs on a pair feed
                }
            }
            for (FeedLeaf leaf : messages) {
                PairMessage m = open(s, leaf);
                if (m == null) {
                    continue;
                }
                if (m.isChat()) {
                    texts.add(new PairText(s.peer, m.msgId(), false, m.text(), m.ts()));
                } else if (PairMessage.DELETE.equals(m.type())) {
                    deletes.add(m.id());
                }
            }
        }
        Mono<Void> saveRatchet = ratchetJson == null ? Mono.empty() : store.saveRatchet(s.peer, ratchetJson);
        return saveRatchet
                .thenMany(Flux.fromIterable(texts)).concatMap(t -> store.record(t).doOnNext(added -> {
                    if (added) {
                        counters.messagesReceived.incrementAndGet();
                        hub.publish(new ChatEvent.PairText(t.id(), Direction.IN, s.peer, s.peer, t.text(), t.ts()));
                    }
                }))
                .thenMany(Flux.fromIterable(deletes)).concatMap(id -> store.delete(s.peer, id, false))
                .then()
                .onErrorResume(e -> {
                    log.warn("pair messages from {} not recorded: {}", s.peer, e.getMessage());
                    return Mono.empty();
                });
    }

    /** Opens one message leaf; null (counted) when it is too big, does not open or does not parse. */
    private PairMessage open(Session s, FeedLeaf leaf) {
        byte[] value = leaf.value();
        if (value.length == 0) {
            return null; // an empty leaf is no leaf (upstream's reader skips it)
        }
        if (value.length > settings.maxText() * 2 + 1024) {
            counters.leavesRefused.incrementAndGet();
            return null;
        }
        try {
            var envelope = EpochEnvelope.parse(value);
            byte[] plain;
            if (envelope.isPresent()) {
                var epoch = s.ratchet.epoch(envelope.get().epochHex());
                if (epoch == null) {
                    if (s.parked.size() < PARKED) {
                        s.parked.addLast(leaf);
                        counters.leavesParked.incrementAndGet();
                    } else {
                        counters.leavesRefused.incrementAndGet();
                    }
                    return null;
                }
                plain = envelope.get().open(epoch);
            } else {
                plain = PairCipher.open(s.staticKey, value);
            }
            PairMessage m = PairMessage.fromJson(plain);
            if (m.text().getBytes(StandardCharsets.UTF_8).length > settings.maxText()) {
                counters.leavesRefused.incrementAndGet();
                return null;
            }
            return m;
        } catch (SkychatException | IllegalArgumentException e) {
            counters.leavesRefused.incrementAndGet();
            log.debug("pair leaf {} from {} dropped: {}", leaf.path(), s.peer, e.getMessage());
            return null;
        }
    }
}
