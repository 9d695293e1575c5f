package io.skychat.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import io.skychat.core.ByteStream;
import io.skychat.core.PeerKey;
import io.skychat.core.StreamNetwork;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.groups.GroupNodes;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteFeedStore;
import io.skychat.transport.cxo.CxoStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Group feed nodes over the relay networks: each open group's node has our identity key and its own store
 * scope, listens on the group port on every relay network this node runs, and keeps streams to the members it
 * follows on the first of them, dmsg when there is dmsg.
 */
final class RelayGroupNodes implements GroupNodes {

    private static final Logger log = LoggerFactory.getLogger(RelayGroupNodes.class);

    private final KeyPair identity;
    private final SqliteDatabase db;
    private final Clock clock;
    private final FeedNodeSettings settings;
    private final Executor executor;
    private final Scheduler timers;
    private final List<StreamNetwork> networks;
    private final Duration backoffMin;
    private final Duration backoffMax;

    RelayGroupNodes(KeyPair identity, SqliteDatabase db, Clock clock, FeedNodeSettings settings, Executor executor,
                    Scheduler timers, List<StreamNetwork> networks, Duration backoffMin, Duration backoffMax) {
        this.identity = identity;
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.executor = executor;
        this.timers = timers;
        this.networks = networks.stream().sorted(Comparator.comparing((StreamNetwork n) -> n.kind() != TransportKind.DMSG))
                .toList();
        this.backoffMin = backoffMin;
        this.backoffMax = backoffMax;
    }

    @Override
    public GroupNode open(String groupId, int port) {
        FeedNode node = new FeedNode(identity, SqliteFeedStore.forGroup(db, clock, groupId), settings, executor, timers)
                .start();
        List<CxoStreams> links = new ArrayList<>(networks.size());
        for (StreamNetwork network : networks) {
            links.add(new CxoStreams(network, node, port, List.of(), backoffMin, backoffMax).startNow());
        }
        return new Opened(node, port, List.copyOf(links));
    }

    @Override
    public Flux<ByteStream> listen(int port) {
        return Flux.merge(networks.stream().map(n -> n.listen(port)
                .onErrorResume(e -> {
                    log.warn("group admission over {} on port {} stopped: {}", n.kind(), port, e.toString());
                    return Flux.empty();
                })).toList());
    }

    @Override
    public Mono<ByteStream> dial(PeerKey peer, int port) {
        Mono<ByteStream> attempt = Mono.error(new IllegalStateException("no relay network"));
        for (int i = networks.size() - 1; i >= 0; i--) {
            StreamNetwork n = networks.get(i);
            Mono<ByteStream> next = attempt;
            attempt = Mono.defer(() -> n.dialStream(peer, port)).onErrorResume(e -> next);
        }
        return attempt;
    }

    private final class Opened implements GroupNode {
        private final FeedNode node;
        private final int port;
        private final List<CxoStreams> links;
        private final Map<PeerKey, Disposable> kept = new HashMap<>();
        private boolean closed;

        Opened(FeedNode node, int port, List<CxoStreams> links) {
            this.node = node;
            this.port = port;
            this.links = links;
        }

        @Override
        public FeedNode node() {
            return node;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public synchronized void keepUp(Set<PeerKey> peers) {
            if (closed || links.isEmpty()) {
                return;
            }
            kept.entrySet().removeIf(e -> {
                if (!peers.contains(e.getKey())) {
                    e.getValue().dispose();
                    return true;
                }
                return false;
            });
            for (PeerKey peer : peers) {
                if (!peer.equals(identity.publicKey())) {
                    kept.computeIfAbsent(peer, this::redial);
                }
            }
        }

        private Disposable redial(PeerKey peer) {
            CxoStreams link = links.get(0);
            // while the peer's own dial to us is the live connection, there is nothing to dial
            return Flux.defer(() -> node.connectedPeers().contains(peer)
                            ? Mono.<ByteStream>error(new IllegalStateException("already connected"))
                            : link.dial(peer))
                    .flatMap(stream -> Flux.concat(Mono.just(stream), stream.onClose()
                            .then(Mono.error(() -> new IllegalStateException("stream closed")))))
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, backoffMin).maxBackoff(backoffMax).transientErrors(true))
                    .subscribe(null, e -> log.warn("group node {}://{}:{} gave up: {}", link.network().kind(), peer, port,
                            e.toString()));
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
                kept.values().forEach(Disposable::dispose);
                kept.clear();
            }
            links.forEach(CxoStreams::close);
            node.close();
        }
    }
}
