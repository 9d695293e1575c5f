package io.skychat.feed;

import io.skychat.core.PeerKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Where a feed node keeps, per feed, its newest full Root and the objects that Root reaches. Calls return
 * at once; the work happens off the caller's thread, so an event loop or the node's queue may call them.
 */
public interface FeedStore {

    /**
     * Records {@code root} as the feed's newest full Root in one step with its objects: {@code added} are
     * stored (keys already held are kept), {@code removed} are dropped, so the store holds exactly the tree
     * of the last Root.
     */
    Mono<Void> saveRoot(SignedRoot root, Collection<FeedObject> added, Collection<Hash> removed);

    /** The feed's newest full Root, verified against the feed's key; empty when none was saved. */
    Mono<SignedRoot> lastRoot(PeerKey feed);

    /** Every object held for the feed, by key. */
    Mono<Map<Hash, byte[]>> objects(PeerKey feed);

    /** The feeds that have a saved Root. */
    Mono<List<PeerKey>> feeds();

    /** Forgets the feed: its Root and its objects. */
    Mono<Void> forget(PeerKey feed);
}
