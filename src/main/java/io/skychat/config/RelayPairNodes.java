package io.skychat.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;

import io.skychat.core.PeerKey;
import io.skychat.core.StreamNetwork;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.pairs.PairNodes;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteFeedStore;
import io.skychat.transport.cxo.CxoStreams;
import reactor.core.scheduler.Scheduler;

/**
 * Pair feed nodes over the relay networks (upstream's topology): each pair's node has our identity key and its
 * own store scope, listens on the pair port on every relay network this node runs, and keeps a stream to the
 * peer's pair port on one of them, dmsg when there is dmsg (as upstream dials {@code dmsg://peer:port}).
 */
final class RelayPairNodes implements PairNodes {

    private final KeyPair identity;
    private final SqliteDatabase db;
    private final Clock clock;
    private final FeedNodeSettings settings;
    private final Executor executor;
    private final Scheduler timers;
    private final List<StreamNetwork> networks;
    private final Duration backoffMin;
    private final Duration backoffMax;

    RelayPairNodes(KeyPair identity, SqliteDatabase db, Clock clock, FeedNodeSettings settings, Executor executor,
                   Scheduler timers, List<StreamNetwork> networks, Duration backoffMin, Duration backoffMax) {
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("pairing (--pair-enable) needs a relay network for the pair feeds: "
                    + "add --dmsg (or run under a visor)");
        }
        this.identity = identity;
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.executor = executor;
        this.timers = timers;
        // dmsg first: the network the peer's node is dialled on
        this.networks = networks.stream().sorted(Comparator.comparing((StreamNetwork n) -> n.kind() != TransportKind.DMSG))
                .toList();
        this.backoffMin = backoffMin;
        this.backoffMax = backoffMax;
    }

    /** The networks pair nodes listen on, the one they dial on first. */
    List<TransportKind> kinds() {
        return networks.stream().map(StreamNetwork::kind).toList();
    }

    @Override
    public PairNode open(PeerKey peer, int port) {
        FeedNode node = new FeedNode(identity, SqliteFeedStore.forPair(db, clock, peer), settings, executor, timers).start();
        List<CxoStreams> links = new ArrayList<>(networks.size());
        for (int i = 0; i < networks.size(); i++) {
            links.add(new CxoStreams(networks.get(i), node, port, i == 0 ? List.of(peer) : List.of(), backoffMin,
                    backoffMax).startNow());
        }
        return new Opened(node, port, List.copyOf(links));
    }

    private record Opened(FeedNode node, int port, List<CxoStreams> links) implements PairNode {
        @Override
        public void close() {
            links.forEach(CxoStreams::close);
            node.close();
        }
    }
}
