package io.skychat.feed.node;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.FeedException;
import io.skychat.feed.FeedObject;
import io.skychat.feed.FeedStore;
import io.skychat.feed.Hash;
import io.skychat.feed.Publication;
import io.skychat.feed.SignedRoot;
import io.skychat.feed.TreeSchemas;
import io.skychat.feed.TreeStore;
import io.skychat.feed.TreeWalk;
import io.skychat.feed.wire.NodeFrame;
import io.skychat.feed.wire.NodeMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;

/**
 * A CXO node: publishes feeds (a {@link TreeStore} each, with an allowlist of subscribers) and follows
 * feeds of peers, over whatever links transports {@link #attach}. All state lives on one serial queue
 * (on the executor given, never an event loop); the store is written behind it.
 *
 * <p>A followed feed's Root is checked (newer Seq, signature, chain), its tree filled object by object
 * with SHA-256 checks, within time, object and byte bounds; then the new and changed leaves are emitted.
 */
public final class FeedNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FeedNode.class);
    /** Frames a connection may have waiting for the node's queue before it is cut off. */
    static final int MAX_QUEUED_FRAMES = 4096;
    static final java.time.Duration TICK = java.time.Duration.ofSeconds(1);

    private final KeyPair identity;
    private final FeedStore store;
    private final FeedNodeSettings settings;
    private final SerialQueue queue;
    private final Scheduler timers;
    private final FeedNodeStats stats = new FeedNodeStats();
    // best effort: a failure is news, not state; a consumer that is not keeping up misses some
    private final Sinks.Many<FeedNodeException> failures = Sinks.many().multicast().directBestEffort();
    private final Host host = new Host();

    // ---- state of the queue ----
    private final Map<PeerKey, Published> published = new HashMap<>();
    private final Map<PeerKey, Followed> followed = new HashMap<>();
    private final Map<NodeConnection, Attached> connections = new LinkedHashMap<>();
    private final Map<PeerKey, Attached> byPeer = new HashMap<>();
    private volatile Set<PeerKey> openPeers = Set.of();
    private Disposable ticker;
    private boolean closed;

    public FeedNode(KeyPair identity, FeedStore store, FeedNodeSettings settings, Executor executor, Scheduler timers) {
        this.identity = identity;
        this.store = store;
        this.settings = settings;
        this.queue = new SerialQueue(executor);
        this.timers = timers;
    }

    public PeerKey id() {
        return identity.publicKey();
    }

    public FeedNodeSettings settings() {
        return settings;
    }

    public FeedNodeStats stats() {
        return stats;
    }

    /** Fill failures, refused roots and objects, refused subscriptions, broken connections, as they happen. */
    public Flux<FeedNodeException> failures() {
        return failures.asFlux();
    }

    /** Peers with an open (handshaken) connection now. */
    public Set<PeerKey> connectedPeers() {
        return openPeers;
    }

    /** Starts the timers: heartbeats, pings, idle and handshake watchdogs. */
    public FeedNode start() {
        if (ticker == null) {
            ticker = Flux.interval(TICK, TICK, timers).onBackpressureDrop().subscribe(i -> run(this::tick));
        }
        return this;
    }

    // ---- publishing ---------------------------------------------------------------------------------

    /**
     * Publishes {@code feed} (this node serves its tree) to the peers in {@code allowlist}; an earlier tree
     * of the feed saved in the store is resumed. Calling it again replaces the allowlist.
     */
    public Mono<Void> share(KeyPair feed, Set<PeerKey> allowlist) {
        Set<PeerKey> allowed = Set.copyOf(allowlist);
        PeerKey key = feed.publicKey();
        return store.lastRoot(key)
                .flatMap(last -> store.objects(key).map(objects -> {
                    TreeStore tree = TreeStore.resume(feed, last, objects::get);
                    return new Published(key, tree, served(TreeWalk.walk(last.root(), objects::get).objects()), allowed);
                }))
                .switchIfEmpty(Mono.fromSupplier(() -> new Published(key, new TreeStore(feed), served(List.of()), allowed)))
                .flatMap(p -> onQueue(() -> {
                    Published current = published.get(key);
                    if (current != null) {
                        applyAllowlist(current, allowed);
                    } else {
                        p.lastPublishAt = now();
                        published.put(key, p);
                    }
                    return Boolean.TRUE;
                }))
                .then();
    }

    /** Replaces the allowlist of a published feed; peers no longer on it stop receiving its Roots. */
    public Mono<Void> allow(PeerKey feed, Set<PeerKey> allowlist) {
        Set<PeerKey> allowed = Set.copyOf(allowlist);
        return onQueue(() -> {
            Published p = published.get(feed);
            if (p == null) {
                throw FeedNodeException.unknownFeed(feed);
            }
            applyAllowlist(p, allowed);
            return Boolean.TRUE;
        }).then();
    }

    /**
     * Applies {@code changes} to the feed's tree, signs the next Root, saves it with its new objects and
     * pushes it to every subscriber on the allowlist. Completes with the Root once it is saved and sent.
     */
    public Mono<SignedRoot> publish(PeerKey feed, Consumer<TreeStore> changes) {
        return onQueue(() -> {
            Published p = published.get(feed);
            if (p == null) {
                throw FeedNodeException.unknownFeed(feed);
            }
            changes.accept(p.tree);
            return publishNow(p);
        }).flatMap(Mono::from);
    }

    /** Leaves of a feed this node publishes, as its tree holds them now. */
    public Mono<SortedMap<String, byte[]>> entries(PeerKey feed) {
        return onQueue(() -> {
            Published p = published.get(feed);
            if (p == null) {
                throw FeedNodeException.unknownFeed(feed);
            }
            return p.tree.entries();
        });
    }

    private Mono<SignedRoot> publishNow(Published p) {
        Publication pub = p.tree.publish(wallNanos());
        Map<Hash, byte[]> now = served(pub.objects());
        List<Hash> removed = p.objects.keySet().stream().filter(k -> !now.containsKey(k)).toList();
        p.objects = now;
        p.lastPublishAt = now();
        SignedRoot root = pub.root();
        return store.saveRoot(root, pub.fresh(), removed)
                .then(onQueue(() -> {
                    pushRoot(p, root);
                    return root;
                }));
    }

    private void pushRoot(Published p, SignedRoot root) {
        if (p.tree.last() != root) {
            return; // a newer publish overtook this one; its push carries the newer Root
        }
        for (Attached a : connections.values()) {
            NodeConnection c = a.conn;
            if (c.isOpen() && c.remoteSubscriptions().contains(p.feed) && p.allowlist.contains(c.peer())) {
                c.push(root);
                stats.rootsPushed.incrementAndGet();
            }
        }
    }

    private void applyAllowlist(Published p, Set<PeerKey> allowed) {
        p.allowlist = allowed;
        for (Attached a : connections.values()) {
            if (!allowed.contains(a.conn.peer())) {
                a.conn.dropRemoteSubscription(p.feed);
            }
        }
    }

    /** Objects served for a tree: its own plus the treestore Registry, which upstream subscribers may ask for. */
    private static Map<Hash, byte[]> served(List<FeedObject> objects) {
        Map<Hash, byte[]> out = new HashMap<>(objects.size() * 2 + 2);
        objects.forEach(o -> out.put(o.key(), o.bytes()));
        FeedObject registry = TreeSchemas.REGISTRY.object();
        out.put(registry.key(), registry.bytes());
        return out;
    }

    // ---- following ----------------------------------------------------------------------------------

    /**
     * Follows {@code feed} at the peer {@code at} (over any link to it, now or whenever one opens). Emits
     * first the leaves of the newest tree held (from the store), then, for every newer Root filled, its new
     * and changed leaves in path order. Overflow policy: up to {@code subscriberBuffer} leaves wait for a
     * slow consumer; one more and this subscription fails with {@code feed-subscriber-overflow} (subscribe
     * again to get the current tree). A peer refusing the subscription fails it with
     * {@code feed-subscribe-refused} carrying the peer's words. Cancelling unsubscribes.
     */
    public Flux<FeedLeaf> subscribe(PeerKey feed, PeerKey at) {
        return Flux.defer(() -> {
            // live leaves wait here, bounded, while the consumer works through the snapshot
            Sinks.Many<FeedLeaf> sink = Sinks.many().unicast()
                    .onBackpressureBuffer(Queues.<FeedLeaf>get(settings.subscriberBuffer()).get());
            // errors (overflow, refusal) overtake buffered leaves: they go out at once, whatever the demand
            Sinks.One<FeedLeaf> abort = Sinks.one();
            Listener listener = new Listener(sink, abort);
            java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
            return load(feed)
                    .flatMap(held -> onQueue(() -> register(feed, at, listener, held, cancelled)))
                    .flatMapMany(snapshot -> Flux.concat(Flux.fromIterable(snapshot), sink.asFlux()))
                    .mergeWith(abort.asMono())
                    .doFinally(signal -> {
                        cancelled.set(true);
                        run(() -> unregister(feed, listener));
                    });
        });
    }

    /** The newest full tree saved for a followed feed, walked on the store's thread. */
    private Mono<Held> load(PeerKey feed) {
        return store.lastRoot(feed)
                .flatMap(last -> store.objects(feed).map(objects -> {
                    TreeWalk.Result walk = TreeWalk.walk(last.root(), objects::get);
                    if (!walk.complete()) {
                        log.warn("feed {}: saved tree of seq {} is incomplete; filling it again", feed, last.root().seq());
                        return Held.NONE;
                    }
                    Map<Hash, byte[]> held = new HashMap<>();
                    walk.objects().forEach(o -> held.put(o.key(), o.bytes()));
                    return new Held(last, held, walk.leaves());
                }))
                .onErrorResume(e -> {
                    log.warn("feed {}: cannot read the saved tree ({}); filling it again", feed, e.toString());
                    return Mono.just(Held.NONE);
                })
                .defaultIfEmpty(Held.NONE);
    }

    /** Attaches the sink and returns the leaves of the tree held now (the snapshot the consumer starts with). */
    private List<FeedLeaf> register(PeerKey feed, PeerKey at, Listener sink, Held held,
                                    java.util.concurrent.atomic.AtomicBoolean cancelled) {
        if (closed || cancelled.get()) {
            sink.complete();
            return List.of();
        }
        Followed f = followed.get(feed);
        boolean fresh = f == null;
        if (fresh) {
            f = new Followed(feed, at, held);
            followed.put(feed, f);
        }
        f.sinks.add(sink);
        List<FeedLeaf> current = new ArrayList<>(f.leaves.size());
        if (f.last != null) {
            current.addAll(leaves(feed, f.last.root().seq(), f.leaves));
        }
        if (fresh) {
            Attached a = byPeer.get(at);
            if (a != null && a.conn.isOpen()) {
                a.conn.subscribe(feed);
            }
        }
        return current;
    }

    private void unregister(PeerKey feed, Listener sink) {
        Followed f = followed.get(feed);
        if (f == null || !f.sinks.remove(sink) || !f.sinks.isEmpty()) {
            return;
        }
        followed.remove(feed);
        if (f.fill != null) {
            cancelFill(f.fill);
            f.fill = null;
        }
        if (f.subscribedOn != null) {
            f.subscribedOn.unsubscribe(feed);
        }
    }

    private void handleRoot(NodeConnection conn, NodeMessage.Root m) {
        Followed f = followed.get(m.feed());
        if (f == null || f.subscribedOn != conn || published.containsKey(m.feed())) {
            stats.rootsIgnored.incrementAndGet(); // upstream: a Root of a feed not followed here is ignored
            return;
        }
        // seq first, so old Roots cost no signature check
        if (isStale(f.last, m) || (f.fill != null && isStale(f.fill.root, m))) {
            stats.rootsStale.incrementAndGet();
            return;
        }
        SignedRoot root;
        try {
            root = m.verified();
            if (f.last != null && f.last.root().nonce() == root.root().nonce()) {
                root.checkFollows(f.last);
            }
        } catch (FeedException | IllegalArgumentException e) {
            stats.rootsRejected.incrementAndGet();
            fail(FeedNodeException.rootRefused(f.feed, e.getMessage()));
            return;
        }
        Map<Hash, byte[]> carried = f.carry;
        f.carry = new HashMap<>();
        if (f.fill != null) {
            carried.putAll(f.fill.received); // a newer Root shares most objects with the one being filled
            cancelFill(f.fill);
        }
        Fill fill = new Fill(root, conn, carried);
        f.fill = fill;
        fill.timer = timers.schedule(() -> run(() -> {
            if (f.fill == fill) {
                abandon(f, "not complete after " + settings.maxFillTime().toSeconds() + " s");
            }
        }), settings.maxFillTime().toMillis(), TimeUnit.MILLISECONDS);
        step(f);
    }

    private static boolean isStale(SignedRoot last, NodeMessage.Root m) {
        return last != null && last.root().nonce() == m.nonce() && Long.compareUnsigned(m.seq(), last.root().seq()) <= 0;
    }

    /** Requests what the tree still lacks, a round at a time; completes the fill when nothing is missing. */
    private void step(Followed f) {
        Fill fill = f.fill;
        if (!fill.inFlight.isEmpty()) {
            return;
        }
        TreeWalk.Result walk;
        try {
            walk = TreeWalk.walk(fill.root.root(), key -> {
                byte[] b = f.held.get(key);
                return b != null ? b : fill.received.get(key);
            });
        } catch (FeedException e) {
            stats.objectsRejected.incrementAndGet();
            abandon(f, "tree is malformed: " + e.getMessage());
            return;
        }
        if (walk.complete()) {
            complete(f, walk);
            return;
        }
        int budget = settings.maxInFlight();
        for (Hash key : walk.missing()) {
            if (budget-- == 0) {
                break;
            }
            fill.inFlight.put(key, fill.conn.requestObject(key));
        }
    }

    private void handleObject(NodeConnection conn, Hash key, byte[] value, String error) {
        Followed f = null;
        for (Followed candidate : followed.values()) {
            if (candidate.fill != null && candidate.fill.conn == conn && candidate.fill.inFlight.containsKey(key)) {
                f = candidate;
                break;
            }
        }
        if (f == null) {
            return; // the fill that asked is gone
        }
        Fill fill = f.fill;
        fill.inFlight.remove(key);
        if (value == null) {
            abandon(f, "the peer does not serve object " + key + (error.isEmpty() ? "" : ": " + error));
            return;
        }
        if (!Hash.of(value).equals(key)) {
            stats.objectsRejected.incrementAndGet();
            abandon(f, "object received for " + key + " hashes to " + Hash.of(value));
            return;
        }
        stats.objectsReceived.incrementAndGet();
        fill.received.put(key, value);
        fill.objects++;
        fill.bytes += value.length;
        if (fill.objects > settings.maxFillObjects()) {
            abandon(f, "needs more than " + settings.maxFillObjects() + " objects");
            return;
        }
        if (fill.bytes > settings.maxFillBytes()) {
            abandon(f, "needs more than " + settings.maxFillBytes() + " bytes");
            return;
        }
        step(f);
    }

    private void complete(Followed f, TreeWalk.Result walk) {
        Fill fill = f.fill;
        cancelFill(fill);
        f.fill = null;
        Map<Hash, byte[]> now = new HashMap<>(walk.objects().size() * 2);
        walk.objects().forEach(o -> now.put(o.key(), o.bytes()));
        List<FeedObject> added = walk.objects().stream().filter(o -> !f.held.containsKey(o.key())).toList();
        List<Hash> removed = f.held.keySet().stream().filter(k -> !now.containsKey(k)).toList();
        long seq = fill.root.root().seq();
        SortedMap<String, byte[]> changed = new TreeMap<>(walk.leaves().comparator());
        walk.leaves().forEach((path, value) -> {
            if (!Arrays.equals(f.leaves.get(path), value)) {
                changed.put(path, value);
            }
        });
        List<FeedLeaf> fresh = leaves(f.feed, seq, changed);
        f.last = fill.root;
        f.held = now;
        f.leaves = walk.leaves();
        stats.rootsAccepted.incrementAndGet();
        stats.fillsCompleted.incrementAndGet();
        store.saveRoot(fill.root, added, removed)
                .subscribe(null, e -> log.warn("feed {}: saving seq {} failed: {}", f.feed, seq, e.toString()));
        for (Listener sink : List.copyOf(f.sinks)) {
            deliver(f, sink, fresh);
        }
    }

    /** One Root's leaves in path order, the last one marked. */
    private static List<FeedLeaf> leaves(PeerKey feed, long seq, SortedMap<String, byte[]> byPath) {
        List<FeedLeaf> out = new ArrayList<>(byPath.size());
        int[] left = {byPath.size()};
        byPath.forEach((path, value) -> out.add(new FeedLeaf(feed, seq, path, value, --left[0] == 0)));
        return out;
    }

    private void deliver(Followed f, Listener sink, List<FeedLeaf> leaves) {
        for (FeedLeaf leaf : leaves) {
            Sinks.EmitResult r = sink.leaves.tryEmitNext(leaf);
            if (r == Sinks.EmitResult.FAIL_OVERFLOW) {
                stats.subscriberOverflows.incrementAndGet();
                f.sinks.remove(sink);
                sink.fail(FeedNodeException.overflow(f.feed, settings.subscriberBuffer()));
                return;
            }
            if (r.isFailure()) {
                f.sinks.remove(sink); // cancelled meanwhile
                return;
            }
        }
    }

    private void abandon(Followed f, String why) {
        Fill fill = f.fill;
        cancelFill(fill);
        f.fill = null;
        stats.fillsAbandoned.incrementAndGet();
        log.warn("feed {}: fill of seq {} abandoned: {}", f.feed, fill.root.root().seq(), why);
        fail(FeedNodeException.fillAbandoned(f.feed, fill.root.root().seq(), why));
    }

    private void cancelFill(Fill fill) {
        if (fill.timer != null) {
            fill.timer.dispose();
        }
        fill.inFlight.values().forEach(fill.conn::cancelRequest);
        fill.inFlight.clear();
    }

    // ---- connections --------------------------------------------------------------------------------

    /**
     * Takes over an authenticated link: the node runs the handshake (the dialer's Syn first) and then
     * serves and follows feeds on it. The transport passes every byte read to the returned inbound.
     */
    public NodeLink.Inbound attach(NodeLink link) {
        Attached a = new Attached(link, new FrameAssembler(settings.maxFrame()));
        run(() -> open(a));
        return new NodeLink.Inbound() {
            @Override
            public void bytes(byte[] chunk) {
                if (a.broken) {
                    return;
                }
                List<NodeFrame> frames;
                try {
                    frames = a.assembler.feed(chunk);
                } catch (RuntimeException e) {
                    a.broken = true;
                    run(() -> refuse(a, e.getMessage()));
                    return;
                }
                if (frames.isEmpty()) {
                    return;
                }
                if (a.queued.addAndGet(frames.size()) > MAX_QUEUED_FRAMES) {
                    a.broken = true;
                    run(() -> refuse(a, "more than " + MAX_QUEUED_FRAMES + " frames waiting"));
                    return;
                }
                run(() -> {
                    a.queued.addAndGet(-frames.size());
                    for (NodeFrame f : frames) {
                        receive(a, f);
                    }
                });
            }

            @Override
            public void closed() {
                run(() -> drop(a, null));
            }
        };
    }

    private void open(Attached a) {
        if (closed) {
            a.link.close();
            return;
        }
        Attached old = byPeer.get(a.link.peer());
        if (old != null) {
            if (old.link.dialer() != a.link.dialer() && !keepsNew(a.link.dialer(), a.link.peer())) {
                a.link.close(); // both sides dialled at once: both keep the one the smaller key dialled
                return;
            }
            drop(old, "replaced by a new connection"); // upstream evicts a stale connection of the same peer
        }
        a.openedAt = now();
        a.lastInbound = a.openedAt;
        a.conn = new NodeConnection(identity.publicKey(), a.link.peer(), a.link.dialer(), host);
        connections.put(a.conn, a);
        byPeer.put(a.link.peer(), a);
    }

    /** Of two connections with one peer in opposite directions, the one dialled by the smaller key stays. */
    private boolean keepsNew(boolean newIsMine, PeerKey peer) {
        PeerKey newDialler = newIsMine ? identity.publicKey() : peer;
        PeerKey oldDialler = newIsMine ? peer : identity.publicKey();
        return newDialler.compareTo(oldDialler) < 0;
    }

    private void receive(Attached a, NodeFrame frame) {
        if (a.conn == null || connections.get(a.conn) != a) {
            return;
        }
        a.lastInbound = now();
        try {
            a.conn.receive(frame);
        } catch (NodeConnection.NodeProtocolException e) {
            refuse(a, e.getMessage());
        }
    }

    /** Closes a connection whose peer broke the rules; counted, reported, others unaffected. */
    private void refuse(Attached a, String why) {
        if (a.conn != null && !a.conn.wasOpened()) {
            stats.connectionsRefused.incrementAndGet();
        } else {
            stats.framesRejected.incrementAndGet();
        }
        log.info("cxo: closing the connection with {}: {}", a.link.peer(), why);
        fail(FeedNodeException.protocol(a.link.peer(), why));
        flush(a); // an Err explaining the refusal goes out first
        drop(a, why);
    }

    private void drop(Attached a, String why) {
        if (a.conn == null || connections.remove(a.conn) == null) {
            a.link.close();
            return;
        }
        if (byPeer.get(a.link.peer()) == a) {
            byPeer.remove(a.link.peer());
        }
        for (Followed f : followed.values()) {
            if (f.subscribedOn == a.conn) {
                f.subscribedOn = null;
            }
            if (f.fill != null && f.fill.conn == a.conn) {
                stats.fillsInterrupted.incrementAndGet();
                cancelFill(f.fill);
                f.carry.putAll(f.fill.received); // what arrived stays useful for the next fill
                f.fill = null;
            }
        }
        a.conn.close();
        a.link.close();
        updateOpenPeers();
        if (why != null) {
            log.debug("cxo: connection with {} closed: {}", a.link.peer(), why);
        }
    }

    private void tick() {
        long now = now();
        for (Attached a : List.copyOf(connections.values())) {
            if (!a.conn.isOpen()) {
                if (now - a.openedAt >= settings.handshakeTimeout().toMillis()) {
                    refuse(a, "no handshake within " + settings.handshakeTimeout().toSeconds() + " s");
                }
                continue;
            }
            long quiet = now - a.lastInbound;
            if (quiet >= settings.idleTimeout().toMillis() && !carriesSubscription(a.conn)) {
                drop(a, "silent for " + quiet / 1000 + " s");
            } else if (settings.pingAfter() != null && quiet >= settings.pingAfter().toMillis()
                    && now - a.lastPing >= settings.pingAfter().toMillis()) {
                a.lastPing = now;
                a.conn.ping();
            }
        }
        for (Published p : published.values()) {
            if (p.tree.last() != null && now - p.lastPublishAt >= settings.heartbeat().toMillis()) {
                stats.heartbeats.incrementAndGet();
                // a new Root over the same tree, so subscribers see the feed alive (upstream publishHeartbeat)
                publishNow(p).subscribe(null, e -> log.warn("feed {}: heartbeat failed: {}", p.feed, e.toString()));
            }
        }
    }

    /**
     * A connection a feed travels on stays however quiet it is: an upstream subscriber says nothing once
     * filled and upstream pings nobody, so silence there is no sign of a dead peer (TCP keepalive is).
     */
    private boolean carriesSubscription(NodeConnection c) {
        if (!c.remoteSubscriptions().isEmpty()) {
            return true;
        }
        for (Followed f : followed.values()) {
            if (f.subscribedOn == c) {
                return true;
            }
        }
        return false;
    }

    private void updateOpenPeers() {
        Set<PeerKey> open = new HashSet<>();
        for (Attached a : connections.values()) {
            if (a.conn.isOpen()) {
                open.add(a.conn.peer());
            }
        }
        openPeers = Collections.unmodifiableSet(open);
    }

    // ---- plumbing -----------------------------------------------------------------------------------

    /** Runs on the node's queue, then sends whatever the connections have to send. */
    private void run(Runnable task) {
        queue.execute(() -> {
            try {
                task.run();
            } finally {
                flushAll();
            }
        });
    }

    private <T> Mono<T> onQueue(java.util.concurrent.Callable<T> task) {
        return Mono.create(sink -> run(() -> {
            try {
                sink.success(task.call());
            } catch (Exception e) {
                sink.error(e);
            }
        }));
    }

    private void flushAll() {
        for (Attached a : connections.values()) {
            flush(a);
        }
    }

    private static void flush(Attached a) {
        if (a.conn == null) {
            return;
        }
        for (NodeFrame f : a.conn.drain()) {
            a.link.send(f);
        }
    }

    private void fail(FeedNodeException e) {
        failures.tryEmitNext(e);
    }

    private long now() {
        return timers.now(TimeUnit.MILLISECONDS);
    }

    private long wallNanos() {
        java.time.Instant t = java.time.Instant.ofEpochMilli(timers.now(TimeUnit.MILLISECONDS));
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** Closes every connection and ends every subscription. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.dispose();
        }
        run(() -> {
            closed = true;
            for (Attached a : List.copyOf(connections.values())) {
                drop(a, "node closing");
            }
            for (Followed f : followed.values()) {
                if (f.fill != null) {
                    cancelFill(f.fill);
                }
                f.sinks.forEach(Listener::complete);
            }
            followed.clear();
            failures.tryEmitComplete();
        });
    }

    private final class Host implements NodeConnection.Host {

        @Override
        public NodeMessage.Err admit(PeerKey peer, PeerKey feed) {
            Published p = published.get(feed);
            // one answer for "not on the allowlist" and "no such feed", so a stranger cannot probe for feeds
            if (p == null || !p.allowlist.contains(peer)) {
                stats.subscribesRefused.incrementAndGet();
                return NodeMessage.Err.subscribeRejected();
            }
            stats.subscribesServed.incrementAndGet();
            return null;
        }

        @Override
        public SignedRoot lastRoot(PeerKey feed) {
            Published p = published.get(feed);
            if (p != null) {
                return p.tree.last();
            }
            Followed f = followed.get(feed);
            return f == null ? null : f.last;
        }

        @Override
        public byte[] object(Hash key) {
            for (Published p : published.values()) {
                byte[] b = p.objects.get(key);
                if (b != null) {
                    stats.objectsServed.incrementAndGet();
                    return b;
                }
            }
            for (Followed f : followed.values()) {
                byte[] b = f.held.get(key);
                if (b != null) {
                    stats.objectsServed.incrementAndGet();
                    return b;
                }
            }
            return null;
        }

        @Override
        public void opened(NodeConnection connection) {
            stats.connectionsOpened.incrementAndGet();
            updateOpenPeers();
            for (Followed f : followed.values()) {
                if (f.at.equals(connection.peer())) {
                    connection.subscribe(f.feed);
                }
            }
        }

        @Override
        public void subscribeAnswered(NodeConnection connection, PeerKey feed, NodeMessage.Err refusal) {
            Followed f = followed.get(feed);
            if (f == null) {
                if (refusal == null) {
                    connection.unsubscribe(feed); // nobody follows it any more
                }
                return;
            }
            if (refusal == null) {
                f.subscribedOn = connection;
                return;
            }
            FeedNodeException e = FeedNodeException.subscribeRefused(feed, connection.peer(), refusal.error());
            fail(e);
            followed.remove(feed);
            f.sinks.forEach(s -> s.fail(e));
        }

        @Override
        public void root(NodeConnection connection, NodeMessage.Root root) {
            handleRoot(connection, root);
        }

        @Override
        public void object(NodeConnection connection, Hash key, byte[] value, String error) {
            handleObject(connection, key, value, error);
        }
    }

    private static final class Attached {
        final NodeLink link;
        final FrameAssembler assembler;
        final AtomicInteger queued = new AtomicInteger();
        volatile boolean broken;
        NodeConnection conn;
        long openedAt;
        long lastInbound;
        long lastPing;

        Attached(NodeLink link, FrameAssembler assembler) {
            this.link = link;
            this.assembler = assembler;
        }
    }

    private static final class Published {
        final PeerKey feed;
        final TreeStore tree;
        Map<Hash, byte[]> objects;
        Set<PeerKey> allowlist;
        long lastPublishAt;

        Published(PeerKey feed, TreeStore tree, Map<Hash, byte[]> objects, Set<PeerKey> allowlist) {
            this.feed = feed;
            this.tree = tree;
            this.objects = objects;
            this.allowlist = allowlist;
        }
    }

    private record Held(SignedRoot last, Map<Hash, byte[]> objects, SortedMap<String, byte[]> leaves) {
        static final Held NONE = new Held(null, Map.of(), new TreeMap<>());
    }

    private static final class Followed {
        final PeerKey feed;
        final PeerKey at;
        final List<Listener> sinks = new ArrayList<>();
        SignedRoot last;
        Map<Hash, byte[]> held;
        SortedMap<String, byte[]> leaves;
        Map<Hash, byte[]> carry = new HashMap<>();
        Fill fill;
        NodeConnection subscribedOn;

        Followed(PeerKey feed, PeerKey at, Held held) {
            this.feed = feed;
            this.at = at;
            this.last = held.last();
            this.held = held.objects();
            this.leaves = held.leaves();
        }
    }

    /** One subscription's way out: its leaves, bounded, and a side door for the error that ends it. */
    private record Listener(Sinks.Many<FeedLeaf> leaves, Sinks.One<FeedLeaf> abort) {
        void fail(Throwable e) {
            abort.tryEmitError(e);
        }

        void complete() {
            leaves.tryEmitComplete();
            abort.tryEmitEmpty();
        }
    }

    private static final class Fill {
        final SignedRoot root;
        final NodeConnection conn;
        final Map<Hash, byte[]> received;
        final Map<Hash, Long> inFlight = new LinkedHashMap<>();
        int objects;
        long bytes;
        Disposable timer;

        Fill(SignedRoot root, NodeConnection conn, Map<Hash, byte[]> received) {
            this.root = root;
            this.conn = conn;
            this.received = received;
        }
    }
}
