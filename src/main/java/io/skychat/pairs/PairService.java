package io.skychat.pairs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.skychat.core.ChatEvent;
import io.skychat.core.ChatService;
import io.skychat.core.Direction;
import io.skychat.core.Envelope;
import io.skychat.core.EventHub;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.feed.node.FeedNode;
import io.skychat.pair.PairMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Pairs: the consent handshake on the chat link and, once a pair is active, its two CXO feeds.
 *
 * <p>Handshake: {@link #invite} stores {@code pending-out} and sends {@code pair-invite}, again and again
 * with backoff (also after a restart) until the peer answers {@code pair-ack} or {@code pair-decline}, or
 * the pair is removed. An invite received is stored {@code pending-in} and shown; {@link #accept} answers
 * {@code pair-ack}, {@link #decline} {@code pair-decline}. Repeated invites for an answered pair get the same
 * answer again, so a lost answer costs one retry.
 *
 * <p>Feeds: an active pair's two feeds are {@link PairFeeds}' business, this service's own feed nodes
 * ({@link LocalPairFeeds}) or the visor's; whichever runs them, messages are recorded here once, counted and
 * pushed to {@code /sse} and {@code /events}.
 *
 * <p>Threads: store work runs on the store thread; nothing here runs on an event loop for long.
 */
public final class PairService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PairService.class);

    private final PeerKey self;
    private final PairStore store;
    private final PairFeeds feeds;
    private final ChatService chat;
    private final EventHub hub;
    private final Clock clock;
    private final Scheduler timers;
    private final PairSettings settings;
    private final PairCounters counters;
    private final Map<PeerKey, Disposable> inviteTimers = new ConcurrentHashMap<>();
    private final Map<PeerKey, PairFeeds.Feed> active = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile boolean closed;

    public PairService(PeerKey self, PairStore store, PairFeeds feeds, PairCounters counters, ChatService chat,
                       EventHub hub, Clock clock, Scheduler timers, PairSettings settings) {
        this.self = self;
        this.store = store;
        this.feeds = feeds;
        this.counters = counters;
        this.chat = chat;
        this.hub = hub;
        this.clock = clock;
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

    /** Who runs the pair feeds: {@code local} or {@code visor}. */
    public String feedsName() {
        return feeds.name();
    }

    /** The ratchet generation of our side of an active pair (0 when none, or not ours to see). */
    public long ratchetGeneration(PeerKey peer) {
        PairFeeds.Feed f = active.get(peer);
        return f == null ? 0 : f.generation();
    }

    /** The feed node of an active pair, where this service runs it (our feed, key = our identity key). */
    public Optional<FeedNode> node(PeerKey peer) {
        PairFeeds.Feed f = active.get(peer);
        return f == null ? Optional.empty() : f.node();
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
        active.values().forEach(PairFeeds.Feed::close);
        active.clear();
        feeds.close();
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
        return store.save(r).then(feeds.invited(r.peer()))
                .then(Mono.fromRunnable(() -> scheduleInvite(r.peer(), Duration.ZERO, settings.inviteRetryMin())))
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
                    PairFeeds.Feed f = active.remove(peer);
                    if (f != null) {
                        f.close(); // upstream closes the pair's node: nothing listens on the pair port any more
                    }
                    return feeds.removed(peer);
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
        return activeFeed(peer).flatMap(f -> {
            PairMessage m = PairMessage.chat(text, clock.instant(), seq.incrementAndGet());
            return f.publish(m).then(Mono.defer(() -> {
                PairText out = new PairText(peer, m.msgId(), true, text, m.ts());
                counters.messagesSent.incrementAndGet();
                return store.record(out).doOnNext(added -> hub.publish(new ChatEvent.PairText(m.msgId(),
                        Direction.OUT, self, peer, text, m.ts()))).thenReturn(out);
            }));
        });
    }

    /** Retracts one of our own messages: its leaf goes, a delete record names it. */
    public Mono<Boolean> deleteMessage(PeerKey peer, String id) {
        return activeFeed(peer).flatMap(f -> {
            if (!f.retracts()) {
                return Mono.error(PairsException.cannotRetract(feeds.name()));
            }
            return store.delete(peer, id, true).flatMap(had -> !had ? Mono.just(false)
                    : f.publish(PairMessage.delete(id, clock.instant(), seq.incrementAndGet())).thenReturn(true));
        });
    }

    public Mono<List<PairText>> inbox(Instant since, int limit) {
        return store.inbox(since, limit);
    }

    private Mono<PairFeeds.Feed> activeFeed(PeerKey peer) {
        return Mono.defer(() -> {
            PairFeeds.Feed f = active.get(peer);
            if (f != null) {
                return Mono.just(f);
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
                    PairRecord confirmed = r.withStatus(PairStatus.ACTIVE, now);
                    return store.save(confirmed).then(feeds.confirmed(peer)).then(activate(confirmed)).then(Mono.fromRunnable(() ->
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

    private Mono<Void> activate(PairRecord r) {
        PeerKey peer = r.peer();
        if (closed || active.containsKey(peer)) {
            return Mono.empty();
        }
        return feeds.open(r, this::deliver).doOnNext(f -> {
            if (closed || active.putIfAbsent(peer, f) != null) {
                f.close(); // activated twice at once, or stopping: one feed per pair
            } else {
                f.start();
            }
        }).then();
    }

    /** The peer's new messages, whoever runs the feeds: each recorded once, then counted and pushed. */
    private Mono<Void> deliver(PeerKey peer, List<PairText> texts, List<String> retracted) {
        return Flux.fromIterable(texts).concatMap(t -> store.record(t).doOnNext(added -> {
                    if (added) {
                        counters.messagesReceived.incrementAndGet();
                        hub.publish(new ChatEvent.PairText(t.id(), Direction.IN, peer, peer, t.text(), t.ts()));
                    }
                }))
                .thenMany(Flux.fromIterable(retracted)).concatMap(id -> store.delete(peer, id, false))
                .then();
    }
}
