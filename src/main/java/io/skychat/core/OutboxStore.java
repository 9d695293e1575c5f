package io.skychat.core;

import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Mono;

/** Durable queue of outgoing messages. Implementations never block the caller's thread. */
public interface OutboxStore {

    /**
     * Persists the message (outbox and history, atomically) before the caller answers the user. Fails with a
     * {@link SkychatException} of type {@code store-full} when the store's cap is reached.
     */
    Mono<Void> enqueue(OutboxEntry entry);

    /** Everything not yet acknowledged, oldest first (the order it must be delivered in). */
    Mono<List<OutboxEntry>> pending();

    /** The peer acknowledged it: drop it from the queue and mark it received. */
    Mono<Void> acknowledged(PeerKey peer, MessageId id);

    /**
     * It was written for the first time, over {@code network} (null when not known): mark it sent and
     * record the network that carried it.
     */
    Mono<Void> attempted(MessageId id, TransportKind network);

    /** It expired undelivered: drop it from the queue and mark it failed. */
    Mono<Void> expired(PeerKey peer, MessageId id);

    /** Messages whose expiry is before {@code now}. */
    Mono<List<OutboxEntry>> expiredBy(Instant now);
}
