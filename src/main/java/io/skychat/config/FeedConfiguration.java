package io.skychat.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

import io.skychat.core.PeerKey;
import io.skychat.core.StreamNetwork;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.feed.node.NodeExecutor;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteFeedStore;
import io.skychat.transport.cxo.CxoPeer;
import io.skychat.transport.cxo.CxoSettings;
import io.skychat.transport.cxo.CxoStreamPeer;
import io.skychat.transport.cxo.CxoStreams;
import io.skychat.transport.cxo.CxoTransport;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * Wires the CXO feed node, its SQLite store and CXO over TCP from {@code skychat.cxo.*}. The node exists
 * always (pairs and groups will use it); over TCP it listens and dials only when {@code --cxo-listen} or
 * {@code --cxo-peer tcp://…} asks for it. Over each relay network the node runs on (dmsg, skynet) it listens on
 * the CXO port whenever the feed key is the node's own key, and keeps up {@code --cxo-peer dmsg://<pk>} peers.
 */
@Configuration(proxyBeanMethods = false)
class FeedConfiguration {

    @Bean
    SqliteFeedStore feedStore(SqliteDatabase db) {
        return new SqliteFeedStore(db, Clock.systemUTC());
    }

    @Bean
    FeedNodeSettings feedNodeSettings(SkychatProperties props) {
        SkychatProperties.Cxo c = props.cxo();
        FeedNodeSettings d = FeedNodeSettings.DEFAULTS;
        return new FeedNodeSettings(c.heartbeat(), c.pingAfter(), c.idleTimeout(), c.handshakeTimeout(),
                c.maxFillTime(), c.maxFillObjects(), c.maxFillBytes().toBytes(), d.maxInFlight(),
                (int) Math.min(Integer.MAX_VALUE, c.maxFrame().toBytes()), c.subscriberBuffer());
    }

    /** Node work (signatures, hashing, tree walks) runs on the node's own thread, never on an event loop. */
    @Bean(destroyMethod = "close")
    NodeExecutor feedExecutor() {
        return new NodeExecutor("skychat-feed");
    }

    @Bean(destroyMethod = "close")
    FeedNode feedNode(IdentityResolver.Identity identity, SkychatProperties props, SqliteFeedStore store,
                      FeedNodeSettings settings, NodeExecutor feedExecutor) {
        return new FeedNode(feedKey(identity, props), store, settings, feedExecutor, Schedulers.parallel());
    }

    /**
     * Feeds are signed with the node's own key. Under a visor that keeps its secret there is none: asking for
     * CXO is then a clear start-up error, and without CXO flags the idle node gets a throwaway key (it
     * neither listens nor dials, so the key is never seen).
     */
    static KeyPair feedKey(IdentityResolver.Identity identity, SkychatProperties props) {
        SkychatProperties.Cxo c = props.cxo();
        boolean asked = (c.listen() != null && !c.listen().isBlank()) || c.peers().stream().anyMatch(p -> !p.isBlank());
        if (identity.hasSecret() || asked) {
            return identity.requireSecret("CXO feeds (--cxo-listen, --cxo-peer)");
        }
        return KeyPair.generate();
    }

    @Bean
    CxoSettings cxoSettings(SkychatProperties props) {
        SkychatProperties.Cxo c = props.cxo();
        List<CxoPeer> peers = c.peers().stream().filter(s -> !s.isBlank() && !CxoStreamPeer.isRelay(s))
                .map(CxoPeer::parse).toList();
        var listen = c.listen() == null || c.listen().isBlank() ? null : BindAddress.parse(c.listen()).toSocketAddress();
        return new CxoSettings(listen, peers, c.dialTimeout(), c.handshakeTimeout(), c.backoffMin(), c.backoffMax(),
                c.maxConnections());
    }

    @Bean(destroyMethod = "close")
    CxoTransport cxoTransport(IdentityResolver.Identity identity, SkychatProperties props, CxoSettings settings,
                              ExecutorService cryptoExecutor, FeedNode node) {
        return new CxoTransport(feedKey(identity, props), settings, cryptoExecutor, node);
    }

    /**
     * CXO over every relay network that carries streams, on the CXO port. Only with the node's own key: the
     * stream's handshake proves that key, and the feed node must be it.
     */
    /** CXO over the relay networks, one per network (none without the node's own key). */
    record RelayFeeds(List<CxoStreams> all) {
    }

    @Bean
    RelayFeeds relayFeeds(IdentityResolver.Identity identity, SkychatProperties props, FeedNode node,
                                List<StreamNetwork> networks) {
        List<CxoStreamPeer> relayPeers = props.cxo().peers().stream().filter(CxoStreamPeer::isRelay)
                .map(CxoStreamPeer::parse).toList();
        if (!identity.hasSecret() || !node.id().equals(identity.publicKey())) {
            if (!relayPeers.isEmpty()) {
                throw new IllegalArgumentException("cxo-peer " + relayPeers.get(0)
                        + ": CXO over a relay network needs the node's secret key");
            }
            return new RelayFeeds(List.of());
        }
        SkychatProperties.Cxo c = props.cxo();
        List<CxoStreams> out = new ArrayList<>();
        for (StreamNetwork network : networks) {
            List<PeerKey> keep = relayPeers.stream().filter(p -> p.network() == network.kind())
                    .map(CxoStreamPeer::key).toList();
            out.add(new CxoStreams(network, node, StreamNetwork.CXO_PORT, keep, c.backoffMin(), c.backoffMax()));
        }
        for (CxoStreamPeer p : relayPeers) {
            if (networks.stream().noneMatch(n -> n.kind() == p.network())) {
                throw new IllegalArgumentException("cxo-peer " + p + ": this node does not run " + p.network().label()
                        + (p.network() == TransportKind.DMSG ? " (add --dmsg)" : ""));
            }
        }
        return new RelayFeeds(List.copyOf(out));
    }

    @Bean
    SmartLifecycle feedLifecycle(FeedNode node, CxoTransport cxo, CxoSettings settings, RelayFeeds relayFeeds) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                node.start();
                if (settings.enabled()) {
                    cxo.startNow();
                } else {
                    LoggerFactory.getLogger(FeedConfiguration.class).debug("cxo over tcp is off (no --cxo-listen or --cxo-peer)");
                }
                relayFeeds.all().forEach(CxoStreams::startNow);
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                relayFeeds.all().forEach(CxoStreams::close);
                cxo.close();
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return SmartLifecycle.DEFAULT_PHASE - 2048; // with the other links: after the web server drains
            }
        };
    }
}
