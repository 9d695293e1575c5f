package io.skychat.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

import io.skychat.core.PeerKey;
import io.skychat.core.StreamNetwork;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteFeedStore;
import io.skychat.transport.cxo.CxoStreams;
import reactor.core.scheduler.Scheduler;

/**
 * What pair and group feed nodes over the relay networks share: our identity key, the database their scopes
 * live in, the feed settings, and the relay networks, dmsg first (the network a peer's node is dialled on,
 * as upstream dials {@code dmsg://peer:port}).
 */
record RelayFeeds(KeyPair identity, SqliteDatabase db, Clock clock, FeedNodeSettings settings, Executor executor,
                  Scheduler timers, List<StreamNetwork> networks, Duration backoffMin, Duration backoffMax) {

    RelayFeeds {
        networks = networks.stream().sorted(Comparator.comparing((StreamNetwork n) -> n.kind() != TransportKind.DMSG))
                .toList();
    }

    /** A started node on the store scope {@code scope} names (e.g. {@link SqliteFeedStore#forPair}). */
    FeedNode startNode(BiFunction<SqliteDatabase, Clock, SqliteFeedStore> scope) {
        return new FeedNode(identity, scope.apply(db, clock), settings, executor, timers).start();
    }

    /** The node listening on {@code port} on every relay network; on the first one it also keeps up {@code peers}. */
    List<CxoStreams> listen(FeedNode node, int port, List<PeerKey> peers) {
        List<CxoStreams> links = new ArrayList<>(networks.size());
        for (int i = 0; i < networks.size(); i++) {
            links.add(new CxoStreams(networks.get(i), node, port, i == 0 ? peers : List.of(), backoffMin, backoffMax)
                    .startNow());
        }
        return List.copyOf(links);
    }
}
