package io.skychat.pairs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
 * Pair feeds run by this service (upstream's topology): an active pair has a feed node of its own
 * ({@link PairNodes}), bound to our identity key and listening on the pair port ({@link PairPort}). It publishes
 * our feed, whose key is our identity key, to the peer alone, and follows the peer's feed, whose key is the
 * peer's identity key. Message leaves are sealed as {@code io.skychat.pair} describes (static key, then the epoch
 * ratchet); closing a pair's feed closes its node, so nothing listens on its port any more.
 *
 * <p>Sealing, opening and ECDH run on {@code crypto}; the ratchet state is saved whenever it moves.
 */
public final class LocalPairFeeds implements PairFeeds {

    private static final Logger log = LoggerFactory.getLogger(LocalPairFeeds.class);
    /** Leaves waiting for an epoch not known yet, per pair. */
    static final int PARKED = 256;

    private final KeyPair identity;
    private final PeerKey self;
    private final PairNodes nodes;
    private final PairStore store;
    private final PairCounters counters;
    private final Clock clock;
    private final Scheduler crypto;
    private final PairSettings settings;

    public LocalPairFeeds(KeyPair identity, PairNodes nodes, PairStore store, PairCounters counters, Clock clock,
                          Scheduler crypto, PairSettings settings) {
        this.identity = identity;
        this.self = identity.publicKey();
        this.nodes = nodes;
        this.store = store;
        this.counters = counters;
        this.clock = clock;
        this.crypto = crypto;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Mono<Feed> open(PairRecord r, Inbound inbound) {
        PeerKey peer = r.peer();
        return Mono.fromCallable(() -> new Session(peer, nodes.open(peer, PairPort.of(self, peer)),
                        PairCipher.staticKey(identity, peer), Ratchet.fromJson(r.ratchet()), inbound))
                .subscribeOn(crypto)
                .flatMap(s -> s.node.node().share(identity, Set.of(peer))
                        .onErrorResume(e -> {
                            s.close();
                            return Mono.error(e);
                        })
                        .thenReturn(s));
    }

    private record Sealed(byte[] leaf, RatchetAnnounce announce, String ratchetJson) {
    }

    /** An active pair's node, keys, ratchet and subscription. Guarded by its own monitor. */
    private final class Session implements Feed {
        final PeerKey peer;
        final PairNodes.PairNode node;
        final byte[] staticKey;
        final Ratchet ratchet;
        final Inbound inbound;
        final ArrayDeque<FeedLeaf> parked = new ArrayDeque<>();
        volatile Disposable subscription = () -> { };
        volatile boolean closed;

        Session(PeerKey peer, PairNodes.PairNode node, byte[] staticKey, Ratchet ratchet, Inbound inbound) {
            this.peer = peer;
            this.node = node;
            this.staticKey = staticKey;
            this.ratchet = ratchet;
            this.inbound = inbound;
        }

        @Override
        public void start() {
            subscription = Flux.defer(() -> node.node().subscribe(peer, peer))
                    .bufferUntil(FeedLeaf::lastOfRoot)
                    .publishOn(crypto)
                    .concatMap(this::onBatch)
                    .doOnError(e -> {
                        counters.subscribeFailures.incrementAndGet();
                        log.info("following the pair feed of {} failed: {}", peer, e.getMessage());
                    })
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(250)).maxBackoff(settings.subscribeRetryMax())
                            .transientErrors(true).filter(e -> !closed))
                    .subscribe(null, e -> log.warn("stopped following the pair feed of {}: {}", peer, e.getMessage()));
        }

        @Override
        public void close() {
            closed = true;
            subscription.dispose();
            node.close();
        }

        @Override
        public long generation() {
            synchronized (this) {
                return ratchet.generation();
            }
        }

        @Override
        public Optional<FeedNode> node() {
            return Optional.of(node.node());
        }

        @Override
        public Mono<Void> publish(PairMessage m) {
            return Mono.fromCallable(() -> {
                synchronized (this) {
                    return seal(m.toJson(), clock.instant());
                }
            }).subscribeOn(crypto).flatMap(sealed -> node.node().publish(self, tree -> {
                if (sealed.announce != null) {
                    tree.put(sealed.announce.leafPath(), sealed.announce.toJson());
                }
                if (PairMessage.DELETE.equals(m.type())) {
                    tree.delete(leafOf(m.id()));
                }
                tree.put(m.leafPath(), sealed.leaf);
            }).then(sealed.ratchetJson == null ? Mono.empty() : store.saveRatchet(peer, sealed.ratchetJson)));
        }

        /** The leaf path of one of our messages from its id, {@code <ts unixnano>-<seq>}. */
        private String leafOf(String id) {
            int dash = id.indexOf('-');
            return PairMessage.PATH_PREFIX + "/" + id.substring(0, Math.max(0, dash)) + "/" + id.substring(dash + 1);
        }

        private Sealed seal(byte[] plaintext, Instant now) {
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

        /** One Root's new leaves: announcements first (upstream's order), then messages, then parked leaves. */
        private Mono<Void> onBatch(List<FeedLeaf> batch) {
            List<PairText> texts = new ArrayList<>();
            List<String> deletes = new ArrayList<>();
            String ratchetJson = null;
            synchronized (this) {
                boolean newEpochs = false;
                for (FeedLeaf leaf : batch) {
                    if (leaf.path().startsWith(RatchetAnnounce.PATH_PREFIX + "/")) {
                        try {
                            newEpochs |= ratchet.peerAnnounced(RatchetAnnounce.fromJson(leaf.value(), peer));
                        } catch (SkychatException | IllegalArgumentException e) {
                            counters.announcementsRefused.incrementAndGet();
                            log.info("ratchet announcement {} from {} refused: {}", leaf.path(), peer, e.getMessage());
                        }
                    }
                }
                if (newEpochs) {
                    ratchetJson = ratchet.toJson();
                }
                List<FeedLeaf> messages = new ArrayList<>();
                if (newEpochs) {
                    messages.addAll(parked);
                    parked.clear();
                }
                for (FeedLeaf leaf : batch) {
                    if (leaf.path().startsWith(PairMessage.PATH_PREFIX + "/")) {
                        messages.add(leaf);
                    } else if (!leaf.path().startsWith(RatchetAnnounce.PATH_PREFIX + "/")) {
                        counters.leavesRefused.incrementAndGet(); // nothing else belongs on a pair feed
                    }
                }
                for (FeedLeaf leaf : messages) {
                    PairMessage m = open(leaf);
                    if (m == null) {
                        continue;
                    }
                    if (m.isChat()) {
                        texts.add(new PairText(peer, m.msgId(), false, m.text(), m.ts()));
                    } else if (PairMessage.DELETE.equals(m.type())) {
                        deletes.add(m.id());
                    }
                }
            }
            Mono<Void> saveRatchet = ratchetJson == null ? Mono.empty() : store.saveRatchet(peer, ratchetJson);
            return saveRatchet.then(inbound.deliver(peer, texts, deletes))
                    .onErrorResume(e -> {
                        log.warn("pair messages from {} not recorded: {}", peer, e.getMessage());
                        return Mono.empty();
                    });
        }

        /** Opens one message leaf; null (counted) when it is too big, does not open or does not parse. */
        private PairMessage open(FeedLeaf leaf) {
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
                    var epoch = ratchet.epoch(envelope.get().epochHex());
                    if (epoch == null) {
                        if (parked.size() < PARKED) {
                            parked.addLast(leaf);
                            counters.leavesParked.incrementAndGet();
                        } else {
                            counters.leavesRefused.incrementAndGet();
                        }
                        return null;
                    }
                    plain = envelope.get().open(epoch);
                } else {
                    plain = PairCipher.open(staticKey, value);
                }
                PairMessage m = PairMessage.fromJson(plain);
                if (m.text().getBytes(StandardCharsets.UTF_8).length > settings.maxText()) {
                    counters.leavesRefused.incrementAndGet();
                    return null;
                }
                return m;
            } catch (SkychatException | IllegalArgumentException e) {
                counters.leavesRefused.incrementAndGet();
                log.debug("pair leaf {} from {} dropped: {}", leaf.path(), peer, e.getMessage());
                return null;
            }
        }
    }
}
