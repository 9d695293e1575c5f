package io.skychat.config;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;

import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.feed.node.NodeExecutor;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteFeedStore;
import io.skychat.transport.cxo.CxoPeer;
import io.skychat.transport.cxo.CxoSettings;
import io.skychat.transport.cxo.CxoTransport;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * Wires the CXO feed node, its SQLite store and CXO over TCP from {@code skychat.cxo.*}. The node exists
 * always (pairs and groups will use it); it listens and dials only when {@code --cxo-listen} or
 * {@code --cxo-peer} asks for it.
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
        List<CxoPeer> peers = c.peers().stream().filter(s -> !s.isBlank()).map(CxoPeer::parse).toList();
        var listen = c.listen() == null || c.listen().isBlank() ? null : BindAddress.parse(c.listen()).toSocketAddress();
        return new CxoSettings(listen, peers, c.dialTimeout(), c.handshakeTimeout(), c.backoffMin(), c.backoffMax(),
                c.maxConnections());
    }

    @Bean(destroyMethod = "close")
    CxoTransport cxoTransport(IdentityResolver.Identity identity, SkychatProperties props, CxoSettings settings,
                              ExecutorService cryptoExecutor, FeedNode node) {
        return new CxoTransport(feedKey(identity, props), settings, cryptoExecutor, node);
    }

    @Bean
    SmartLifecycle feedLifecycle(FeedNode node, CxoTransport cxo, CxoSettings settings) {
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
                running = true;
            }

            @Override
            public void stop() {
                running = false;
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
