package io.skychat.pairs;

import java.time.Instant;
import java.util.List;

import io.skychat.core.PeerKey;
import reactor.core.publisher.Mono;

/** Where pair records and pair messages live; every call runs off the caller's thread. */
public interface PairStore {

    Mono<List<PairRecord>> all();

    /** Empty when there is no record for the peer. */
    Mono<PairRecord> find(PeerKey peer);

    Mono<Void> save(PairRecord record);

    /** Replaces the ratchet state of a pair (and nothing else about it). */
    Mono<Void> saveRatchet(PeerKey peer, String json);

    /** Records a message once; true when it was new. Also moves the pair's {@code last_message_at}. */
    Mono<Boolean> record(PairText message);

    /** Marks a message of {@code peer} deleted (a retraction); true when there was one. */
    Mono<Boolean> delete(PeerKey peer, String id, boolean outgoing);

    /** Received messages newer than {@code since}, the newest {@code limit} of them, oldest first. */
    Mono<List<PairText>> inbox(Instant since, int limit);
}
