package io.skychat.feed.node;

import io.skychat.core.PeerKey;
import io.skychat.feed.FeedObject;
import io.skychat.feed.FeedStore;
import io.skychat.feed.Hash;
import io.skychat.feed.SignedRoot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/** A {@link FeedStore} in memory that answers at once, so node tests run on one thread. */
final class MemoryFeedStore implements FeedStore {

    final Map<PeerKey, SignedRoot> roots = new ConcurrentHashMap<>();
    final Map<PeerKey, Map<Hash, byte[]>> objects = new ConcurrentHashMap<>();

    @Override
    public Mono<Void> saveRoot(SignedRoot root, Collection<FeedObject> added, Collection<Hash> removed) {
        return Mono.fromRunnable(() -> {
            PeerKey feed = root.root().pub();
            roots.put(feed, root);
            Map<Hash, byte[]> held = objects.computeIfAbsent(feed, k -> new ConcurrentHashMap<>());
            added.forEach(o -> held.put(o.key(), o.bytes()));
            removed.forEach(held::remove);
        });
    }

    @Override
    public Mono<SignedRoot> lastRoot(PeerKey feed) {
        return Mono.justOrEmpty(roots.get(feed));
    }

    @Override
    public Mono<Map<Hash, byte[]>> objects(PeerKey feed) {
        return Mono.fromSupplier(() -> new HashMap<>(objects.getOrDefault(feed, Map.of())));
    }

    @Override
    public Mono<List<PeerKey>> feeds() {
        return Mono.fromSupplier(() -> new ArrayList<>(roots.keySet()));
    }

    @Override
    public Mono<Void> forget(PeerKey feed) {
        return Mono.fromRunnable(() -> {
            roots.remove(feed);
            objects.remove(feed);
        });
    }
}
