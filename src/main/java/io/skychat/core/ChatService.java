package io.skychat.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Direct messages: sends through the cached link (redial and retry once, then fall back to the other
 * relay network), answers chat-msg with chat-ack on the same link, turns what arrives into
 * {@link ChatEvent}s and shows each message once even when a peer redelivers it.
 */
public final class ChatService {

    private static final Logger log = LoggerFactory.getLogger(ChatService.class);
    static final Duration WRITE_DEADLINE = Duration.ofSeconds(5);
    private static final int SEEN_WINDOW = 4096;

    private final PeerKey self;
    private final PeerLinks links;
    private final EventHub hub;
    private final ChatCounters counters;
    private final Clock clock;
    private final TransportKind defaultNetwork;
    private final PeerRateLimiter inboundLimit;
    private final Map<MessageId, Sinks.One<Instant>> ackWaiters = new ConcurrentHashMap<>();
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_WINDOW;
        }
    });

    public ChatService(PeerKey self, PeerLinks links, EventHub hub, ChatCounters counters, Clock clock,
                       TransportKind defaultNetwork) {
        this(self, links, hub, counters, clock, defaultNetwork, PeerRateLimiter.perSecond(20, 40));
    }

    public ChatService(PeerKey self, PeerLinks links, EventHub hub, ChatCounters counters, Clock clock,
                       TransportKind defaultNetwork, PeerRateLimiter inboundLimit) {
        this.inboundLimit = inboundLimit;
        this.self = self;
        this.links = links;
        this.hub = hub;
        this.counters = counters;
        this.clock = clock;
        this.defaultNetwork = defaultNetwork;
    }

    public PeerKey self() {
        return self;
    }

    public void start() {
        links.start(this::attach);
    }

    public Mono<SendReceipt> send(SendCommand command) {
        return Mono.defer(() -> {
            TransportKind network = chooseNetwork(command);
            MessageId id = MessageId.random();
            Envelope envelope = new Envelope.ChatMsg(id, command.text(), true, command.replyTo());
            Sinks.One<Instant> ack = Sinks.one();
            ackWaiters.put(id, ack); // registered before the write so a fast ack is never missed
            Instant started = clock.instant();
            return deliver(network, command.recipient(), envelope)
                    .doOnNext(used -> {
                        Instant now = clock.instant();
                        counters.sent(now);
                        hub.publish(new ChatEvent.DirectMessage(id, Direction.OUT, self, command.recipient(), used,
                                command.text(), command.replyTo(), now));
                    })
                    .flatMap(used -> command.waitForAck() == null
                            ? Mono.just(new SendReceipt(id, used, null, Duration.ZERO))
                            : ack.asMono()
                                    .map(at -> new SendReceipt(id, used, true, Duration.between(started, at)))
                                    .timeout(command.waitForAck(),
                                            Mono.just(new SendReceipt(id, used, false, command.waitForAck()))))
                    .doFinally(s -> ackWaiters.remove(id));
        });
    }

    /** Sends a read receipt for messages the user has seen. */
    public Mono<Void> markRead(PeerKey peer, MessageId id) {
        return deliver(chooseNetwork(peer, null), peer, new Envelope.ChatRead(id)).then();
    }

    private TransportKind chooseNetwork(SendCommand command) {
        return chooseNetwork(command.recipient(), command.network());
    }

    private TransportKind chooseNetwork(PeerKey peer, TransportKind requested) {
        if (requested != null) {
            if (!links.isEnabled(requested)) {
                throw TransportException.notEnabled(requested);
            }
            return requested;
        }
        // An open link wins over the configured default: in standalone that is the TCP-direct link.
        for (TransportKind kind : TransportKind.values()) {
            if (links.openLink(kind, peer) != null) {
                return kind;
            }
        }
        return defaultNetwork;
    }

    /** Writes over {@code network}; on a failed write redials once, then tries the fallback network once. */
    private Mono<TransportKind> deliver(TransportKind network, PeerKey peer, Envelope envelope) {
        Mono<TransportKind> primary = writeWithRetry(network, peer, envelope);
        TransportKind fallback = network.fallback();
        if (fallback != null && links.isEnabled(fallback)) {
            primary = primary.onErrorResume(TransportException.class, e -> {
                counters.outboundFallbacks.incrementAndGet();
                log.debug("send to {} over {} failed ({}); falling back to {}", peer, network, e.getMessage(), fallback);
                return writeWithRetry(fallback, peer, envelope);
            });
        }
        return primary.doOnError(e -> counters.outboundFailures.incrementAndGet());
    }

    private Mono<TransportKind> writeWithRetry(TransportKind network, PeerKey peer, Envelope envelope) {
        return links.linkTo(network, peer)
                .flatMap(link -> write(link, envelope).onErrorResume(TransportException.class, e -> {
                    counters.outboundRetries.incrementAndGet();
                    links.evict(link);
                    return links.linkTo(network, peer).flatMap(fresh -> write(fresh, envelope));
                }))
                .thenReturn(network);
    }

    private Mono<Void> write(ChatLink link, Envelope envelope) {
        return link.send(envelope)
                .timeout(WRITE_DEADLINE, Mono.error(() -> TransportException.unreachable(link.peer(), link.kind(),
                        "write timed out after " + WRITE_DEADLINE.toSeconds() + "s", null)));
    }

    void attach(ChatLink link) {
        link.inbound().subscribe(
                envelope -> onEnvelope(link, envelope),
                error -> {
                    counters.inboundDrops.incrementAndGet();
                    log.info("{} link to {} dropped: {}", link.kind(), link.peer(), error.getMessage());
                });
    }

    private void onEnvelope(ChatLink link, Envelope envelope) {
        if ((envelope instanceof Envelope.ChatMsg || envelope instanceof Envelope.PlainText)
                && !inboundLimit.tryAcquire(link.peer())) {
            counters.rateLimited(link.kind()); // dropped unacked: a sender with an outbox tries again later
            return;
        }
        Instant now = clock.instant();
        if (envelope instanceof Envelope.ChatMsg msg) {
            if (msg.ack()) {
                link.send(new Envelope.ChatAck(msg.id())).subscribe(null,
                        e -> log.debug("ack {} to {} failed: {}", msg.id(), link.peer(), e.getMessage()));
            }
            if (firstSighting(link.peer(), msg.id())) {
                counters.received(now);
                hub.publish(new ChatEvent.DirectMessage(msg.id(), Direction.IN, link.peer(), self, link.kind(),
                        msg.body(), msg.replyTo(), now));
            }
        } else if (envelope instanceof Envelope.PlainText text) {
            counters.received(now);
            hub.publish(new ChatEvent.DirectMessage(MessageId.random(), Direction.IN, link.peer(), self,
                    link.kind(), text.text(), null, now));
        } else if (envelope instanceof Envelope.ChatAck ack) {
            Sinks.One<Instant> waiter = ackWaiters.get(ack.id());
            if (waiter != null) {
                waiter.tryEmitValue(now);
            }
            hub.publish(new ChatEvent.DeliveryStatus(ack.id(), DeliveryState.RECEIVED, link.peer(), now));
        } else if (envelope instanceof Envelope.ChatRead read) {
            hub.publish(new ChatEvent.DeliveryStatus(read.id(), DeliveryState.READ, link.peer(), now));
        } else {
            log.debug("{} from {} ignored: not handled by this node yet", envelope, link.peer());
        }
    }

    private boolean firstSighting(PeerKey peer, MessageId id) {
        synchronized (seen) {
            return seen.add(peer.hex() + "/" + id.value());
        }
    }
}
