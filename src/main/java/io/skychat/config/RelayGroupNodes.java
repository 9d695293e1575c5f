package io.skychat.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.skychat.core.ByteStream;
import io.skychat.core.PeerKey;
import io.skychat.core.StreamNetwork;
import io.skychat.feed.node.FeedNode;
import io.skychat.groups.GroupNodes;
import io.skychat.store.SqliteFeedStore;
import io.skychat.transport.cxo.CxoStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Group feed nodes over the relay networks: each open group's node has our identity key and its own store
 * scope, listens on the group port on every relay network this node runs, and keeps streams to the members it
 * follows on the first of them ({@link RelayFeeds}).
 */
final class RelayGroupNodes implements GroupNodes {

    private static final Logger log = LoggerFactory.getLogger(RelayGroupNodes.class);

    private final RelayFeeds relays;
    private final List<StreamNetwork> networks;

    RelayGroupNodes(RelayFeeds relays) {
        this.relays = relays;
        this.networks = relays.networks();
    }

    @Override
    public GroupNode open(String groupId, int port) {
        FeedNode node = relays.startNode((db, clock) -> SqliteFeedStore.forGroup(db, clock, groupId));
        return new Opened(node, port, relays.listen(node, port, List.of()));
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
                if (!peer.equals(relays.identity().publicKey())) {
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
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, relays.backoffMin()).maxBackoff(relays.backoffMax())
                            .transientErrors(true))
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
