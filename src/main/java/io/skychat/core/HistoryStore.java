package io.skychat.core;

import java.util.List;

import reactor.core.publisher.Mono;

/** Conversation history and the inbound de-duplication window. Implementations never block the caller's thread. */
public interface HistoryStore {

    /** Whether history is kept at all ({@code --no-persist} turns it off; de-duplication still works). */
    boolean enabled();

    /**
     * Records an inbound message exactly once. Emits {@link Inbound#DUPLICATE} when this id from this peer
     * was seen before; otherwise remembers the id and emits {@link Inbound#STORED}, or
     * {@link Inbound#NOT_KEPT} when the {@link HistoryPolicy} keeps no row for it (it is still delivered
     * live and acknowledged).
     */
    Mono<Inbound> recordInbound(StoredMessage message);

    /** Moves an outgoing message's status forward; never backwards (a late "received" keeps "read"). */
    Mono<Void> updateStatus(PeerKey peer, MessageId id, DeliveryState state);

    /** Newest {@code limit} rows, oldest first; all peers when {@code peer} is null. */
    Mono<List<StoredMessage>> history(PeerKey peer, int limit);

    Mono<List<PeerKey>> peers();

    enum Inbound { STORED, NOT_KEPT, DUPLICATE }
}
