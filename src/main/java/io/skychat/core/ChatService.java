package io.skychat.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Direct messages. Sending persists the message in the {@link Outbox} first and lets its courier deliver
 * it; receiving stores each message once (before acknowledging it, so an ack means "safely kept"), answers
 * chat-msg with chat-ack on the same link and turns what arrives into {@link ChatEvent}s.
 */
public final class ChatService {

    private static final Logger log = LoggerFactory.getLogger(ChatService.class);
    static final Duration WRITE_DEADLINE = Duration.ofSeconds(5);

    private final PeerKey self;
    private final PeerLinks links;
    private final EventHub hub;
    private final ChatCounters counters;
    private final Clock clock;
    private final Router router;
    private final HistoryStore history;
    private final Outbox outbox;
    private final PeerRateLimiter inboundLimit;
    private final reactor.core.scheduler.Scheduler timer;
    private final Map<MessageId, Sinks.One<Instant>> ackWaiters = new ConcurrentHashMap<>();
    private final Map<MessageId, Sinks.Empty<Void>> writeWaiters = new ConcurrentHashMap<>();
    private volatile java.util.function.BiFunction<PeerKey, Envelope.PairControl, Mono<Void>> pairControl;
    private volatile java.util.function.Consumer<PeerKey> linkUp;
    /** How long a send without an ack wait waits to be written when a link is open (writes take microseconds). */
    static final Duration WRITE_WAIT = Duration.ofSeconds(1);
    /** Envelopes of one link handed to the store and not yet done, at most (a sender's window is 32). */
    static final int INBOUND_PIPELINE = 64;

    public ChatService(PeerKey self, PeerLinks links, EventHub hub, ChatCounters counters, Clock clock,
                       TransportKind defaultNetwork, HistoryStore history, OutboxStore outboxStore,
                       reactor.core.scheduler.Scheduler timer, Outbox.Settings outboxSettings,
                       PeerRateLimiter inboundLimit) {
        this.inboundLimit = inboundLimit;
        this.self = self;
        this.links = links;
        this.hub = hub;
        this.counters = counters;
        this.clock = clock;
        this.router = new Router(links, defaultNetwork, clock);
        this.history = history;
        this.timer = timer;
        this.outbox = new Outbox(outboxStore, this::deliver, hub, counters, clock, timer, outboxSettings);
        hub.addListener(event -> {
            if (event instanceof ChatEvent.DeliveryStatus s && s.state() == DeliveryState.SENT) {
                Sinks.Empty<Void> waiter = writeWaiters.remove(s.messageId());
                if (waiter != null) {
                    waiter.tryEmitEmpty();
                }
            }
        });
    }

    public PeerKey self() {
        return self;
    }

    public Outbox outbox() {
        return outbox;
    }

    public void start() {
        links.start(this::attach);
        outbox.resume().subscribe(null, e -> log.error("could not resume the outbox", e));
    }

    /**
     * Accepts a message for delivery: persisted before this completes. With a wait, also waits for the
     * peer's receipt; a message not acknowledged in time stays queued and is still delivered later.
     */
    public Mono<SendReceipt> send(SendCommand command) {
        return Mono.defer(() -> {
            TransportKind network = router.choose(command.recipient(), command.network(), command.auto());
            if (!links.canReach(network, command.recipient())) {
                counters.outboundFailures.incrementAndGet();
                return Mono.error(TransportException.unreachable(command.recipient(), network,
                        links.whyUnreachable(network, command.recipient()), null));
            }
            Instant now = clock.instant();
            MessageId id = MessageId.random();
            // Only a network asked for is pinned; otherwise each delivery attempt is routed afresh.
            OutboxEntry entry = new OutboxEntry(id, command.recipient(), command.text(), command.replyTo(),
                    command.network(), now, now.plus(outbox.settings().expiry()), 0);
            Sinks.One<Instant> ack = Sinks.one();
            Sinks.Empty<Void> written = Sinks.empty();
            // Registered before the write so a fast ack (or write) is never missed.
            if (command.waitForAck() != null) {
                ackWaiters.put(id, ack);
            } else {
                writeWaiters.put(id, written);
            }
            return outbox.enqueue(entry)
                    .then(Mono.fromRunnable(() -> hub.publish(new ChatEvent.DirectMessage(id, Direction.OUT, self,
                            command.recipient(), network, command.text(), command.replyTo(), now))))
                    .then(command.waitForAck() == null
                            ? writtenOrQueued(command.recipient(), written)
                                    .map(state -> new SendReceipt(id, network, null, Duration.ZERO, state))
                            : ack.asMono()
                                    .map(at -> new SendReceipt(id, network, true, Duration.between(now, at),
                                            DeliveryState.RECEIVED))
                                    .timeout(command.waitForAck(), Mono.fromSupplier(() -> new SendReceipt(id, network,
                                            false, command.waitForAck(), DeliveryState.SENT))))
                    .doFinally(s -> {
                        ackWaiters.remove(id);
                        writeWaiters.remove(id);
                    });
        });
    }

    /**
     * Without an ack wait the caller still learns the truth: "sent" once the message was written to an
     * open link, "queued" when there is none (or the write is behind a full window).
     */
    private Mono<DeliveryState> writtenOrQueued(PeerKey peer, Sinks.Empty<Void> written) {
        if (!links.hasOpenLink(peer)) {
            return Mono.just(DeliveryState.QUEUED);
        }
        return written.asMono().thenReturn(DeliveryState.SENT)
                .timeout(WRITE_WAIT, Mono.just(DeliveryState.QUEUED));
    }

    /** Tells the peer its messages were read (best effort: read receipts are not queued). */
    public Mono<Void> markRead(PeerKey peer, java.util.List<MessageId> ids) {
        return reactor.core.publisher.Flux.fromIterable(ids)
                .concatMap(id -> deliver(null, peer, new Envelope.ChatRead(id)))
                .then();
    }

    public Router router() {
        return router;
    }

    /** Who handles {@code pair-invite}, {@code pair-ack} and {@code pair-decline} (pairing on); else they are ignored. */
    public void onPairControl(java.util.function.BiFunction<PeerKey, Envelope.PairControl, Mono<Void>> handler) {
        this.pairControl = handler;
    }

    /** Writes one pairing control frame to the peer, routed as a direct message is (not queued: the caller retries). */
    public Mono<Void> sendControl(PeerKey peer, Envelope.PairControl control) {
        return deliver(null, peer, control).then();
    }

    /**
     * Writes over {@code asked} (null: routed now); on a failed write redials once, then tries the fallback
     * network once and remembers it for the peer.
     */
    Mono<ChatLink> deliver(TransportKind asked, PeerKey peer, Envelope envelope) {
        return Mono.defer(() -> {
            TransportKind network = asked != null ? asked : router.choose(peer, null, false);
            Mono<ChatLink> primary = writeWithRetry(network, peer, envelope)
                    .doOnNext(link -> router.reached(peer, network));
            TransportKind fallback = network.fallback();
            if (fallback == null || !links.isEnabled(fallback)) {
                return primary;
            }
            return primary.onErrorResume(TransportException.class, e -> {
                counters.outboundFallbacks.incrementAndGet();
                log.debug("send to {} over {} failed ({}); falling back to {}", peer, network, e.getMessage(), fallback);
                return writeWithRetry(fallback, peer, envelope)
                        .doOnNext(link -> router.fellBack(peer, network, fallback));
            });
        });
    }

    private Mono<ChatLink> writeWithRetry(TransportKind network, PeerKey peer, Envelope envelope) {
        return links.linkTo(network, peer)
                .flatMap(link -> write(link, envelope).thenReturn(link).onErrorResume(TransportException.class, e -> {
                    counters.outboundRetries.incrementAndGet();
                    links.evict(link);
                    return links.linkTo(network, peer).flatMap(fresh -> write(fresh, envelope).thenReturn(fresh));
                }));
    }

    private Mono<Void> write(ChatLink link, Envelope envelope) {
        return link.send(envelope)
                .timeout(WRITE_DEADLINE, Mono.error(() -> TransportException.unreachable(link.peer(), link.kind(),
                        "write timed out after " + WRITE_DEADLINE.toSeconds() + "s", null)));
    }

    void attach(ChatLink link) {
        // Envelopes are taken in arrival order. A chat message (or a chat-ack) is handed to the store at once,
        // without waiting for the one before it to commit, so a link's messages share group commits; the store
        // commits and answers in hand-in order, so storage order is arrival order and each ack follows its own
        // commit, in order. Anything else waits until what came before it is done. At most
        // INBOUND_PIPELINE envelopes of one link are in the store's hands at a time.
        AtomicReference<Mono<Void>> lastStarted = new AtomicReference<>(Mono.empty());
        // What the store answers is finished (events, the ack) on the link's own event loop when it has one:
        // the store thread, the bottleneck under load, only writes and commits.
        reactor.core.scheduler.Scheduler finishOn = link.executor() == null ? null
                : reactor.core.scheduler.Schedulers.fromExecutor(link.executor());
        link.inbound()
                .concatMap(envelope -> paced(link, envelope).then(Mono.defer(() -> {
                    if (pipelined(envelope)) {
                        // Started now (its store unit is queued); the next envelope does not wait for it.
                        Mono<Void> started = Mono.fromFuture(handled(link, envelope, finishOn).toFuture(), true);
                        lastStarted.set(started);
                        return Mono.just(started);
                    }
                    return lastStarted.get().then(handled(link, envelope, finishOn)).thenReturn(Mono.<Void>empty());
                })))
                .concatMap(started -> started, INBOUND_PIPELINE)
                .subscribe(null, error -> {
                    counters.inboundDrops.incrementAndGet();
                    log.info("{} link to {} dropped: {}", link.kind(), link.peer(), error.getMessage());
                });
        Runnable closed = () -> {
            outbox.linkDown(link);
            if (links.hasOpenLink(link.peer())) {
                outbox.linkUp(link.peer()); // another link is up: resend over it now, not after a backoff
            }
        };
        link.onClose().subscribe(null, e -> closed.run(), closed);
        outbox.linkUp(link.peer());
        java.util.function.Consumer<PeerKey> up = linkUp;
        if (up != null) {
            up.accept(link.peer());
        }
    }

    private static boolean pipelined(Envelope envelope) {
        return envelope instanceof Envelope.ChatMsg || envelope instanceof Envelope.PlainText
                || envelope instanceof Envelope.ChatAck;
    }

    /** One envelope handled; its failure is logged and ends nothing else. */
    private Mono<Void> handled(ChatLink link, Envelope envelope, reactor.core.scheduler.Scheduler finishOn) {
        return Mono.defer(() -> onEnvelope(link, envelope, finishOn)).onErrorResume(e -> {
            log.warn("{} from {} not handled: {}", envelope.getClass().getSimpleName(), link.peer(), e.getMessage());
            return Mono.empty();
        });
    }

    /** Told the peer of every chat link that opens (pairing resends an unanswered invite at once). */
    public void onLinkUp(java.util.function.Consumer<PeerKey> listener) {
        this.linkUp = listener;
    }

    /** Holds a chat message back while its peer is over the per-peer rate; receipts are never held. */
    private Mono<Void> paced(ChatLink link, Envelope envelope) {
        if (!(envelope instanceof Envelope.ChatMsg || envelope instanceof Envelope.PlainText)) {
            return Mono.empty();
        }
        long waitNanos = inboundLimit.reserve(link.peer());
        if (waitNanos == 0) {
            return Mono.empty();
        }
        counters.rateLimited(link.kind());
        return Mono.delay(Duration.ofNanos(waitNanos), timer).then();
    }

    private Mono<Void> onEnvelope(ChatLink link, Envelope envelope, reactor.core.scheduler.Scheduler finishOn) {
        Instant now = clock.instant();
        if (envelope instanceof Envelope.ChatMsg msg) {
            return receive(link, msg.id(), msg.body(), msg.replyTo(), msg.ack(), now, finishOn);
        }
        if (envelope instanceof Envelope.PlainText text) {
            return receive(link, MessageId.random(), text.text(), null, false, now, finishOn);
        }
        if (envelope instanceof Envelope.ChatAck ack) {
            // The outbox takes the ack (and its counters move) before a waiting sender is answered.
            Mono<Boolean> stored = finishedOn(outbox.acknowledged(link.peer(), ack.id()), finishOn);
            Sinks.One<Instant> waiter = ackWaiters.get(ack.id());
            if (waiter != null) {
                waiter.tryEmitValue(now);
            }
            return stored.doOnNext(wasQueued -> {
                if (wasQueued) {
                    hub.publish(new ChatEvent.DeliveryStatus(ack.id(), DeliveryState.RECEIVED, link.peer(), now));
                }
            }).then();
        }
        if (envelope instanceof Envelope.ChatRead read) {
            return history.updateStatus(link.peer(), read.id(), DeliveryState.READ).then(Mono.fromRunnable(() ->
                    hub.publish(new ChatEvent.DeliveryStatus(read.id(), DeliveryState.READ, link.peer(), now))));
        }
        if (envelope instanceof Envelope.PairControl control && pairControl != null) {
            return pairControl.apply(link.peer(), control);
        }
        log.debug("{} from {} ignored: not handled by this node yet", envelope, link.peer());
        return Mono.empty();
    }

    private static <T> Mono<T> finishedOn(Mono<T> stored, reactor.core.scheduler.Scheduler finishOn) {
        return finishOn == null ? stored : stored.publishOn(finishOn);
    }

    private Mono<Void> receive(ChatLink link, MessageId id, String body, MessageId replyTo, boolean wantsAck,
                               Instant now, reactor.core.scheduler.Scheduler finishOn) {
        StoredMessage message = new StoredMessage(id, link.peer(), link.peer(), false, body, now, replyTo,
                link.kind(), null);
        return finishedOn(history.recordInbound(message), finishOn).flatMap(outcome -> {
            // Every chat-msg that parsed is acknowledged: upstream senders never retry, so a withheld ack
            // is a lost message. History limits decide only whether a row was kept.
            if (outcome != HistoryStore.Inbound.DUPLICATE) {
                counters.received(now);
                if (outcome == HistoryStore.Inbound.NOT_KEPT) {
                    counters.inboundNotKept.incrementAndGet();
                }
                hub.publish(new ChatEvent.DirectMessage(id, Direction.IN, link.peer(), self, link.kind(), body,
                        replyTo, now));
            }
            return wantsAck ? link.send(new Envelope.ChatAck(id)).onErrorResume(e -> {
                log.debug("ack {} to {} failed: {}", id, link.peer(), e.getMessage());
                return Mono.empty();
            }) : Mono.empty();
        });
    }
}
