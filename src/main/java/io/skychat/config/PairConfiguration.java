package io.skychat.config;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;

import io.skychat.core.ChatService;
import io.skychat.core.EventHub;
import io.skychat.core.StreamNetwork;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.feed.node.NodeExecutor;
import io.skychat.pairs.PairService;
import io.skychat.pairs.PairSettings;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqlitePairStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * Pairing ({@code --pair-enable}, {@code skychat.pair.*}): the service exists only when it is on; the
 * routes answer 503 otherwise. It needs the node's secret (feeds are signed and sealed with it) and a relay
 * network (dmsg, or the visor's networks) for the per-pair feed nodes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "skychat.pair.enabled", havingValue = "true")
class PairConfiguration {

    @Bean
    PairSettings pairSettings(SkychatProperties props) {
        SkychatProperties.Pair p = props.pair();
        return new PairSettings(p.maxText(), p.rotateAfter(), p.rotateAge(), p.inviteRetryMin(), p.inviteRetryMax(),
                p.subscribeRetryMax());
    }

    /** One feed node per active pair, on the pair port of every relay network this node runs. */
    @Bean
    RelayPairNodes pairNodes(IdentityResolver.Identity identity, SqliteDatabase db, FeedNodeSettings feedSettings,
                             NodeExecutor feedExecutor, List<StreamNetwork> networks, SkychatProperties props) {
        return new RelayPairNodes(identity.requireSecret("pairing (--pair-enable)"), db, Clock.systemUTC(), feedSettings,
                feedExecutor, Schedulers.parallel(), networks, props.cxo().backoffMin(), props.cxo().backoffMax());
    }

    @Bean(destroyMethod = "close")
    PairService pairService(IdentityResolver.Identity identity, SqliteDatabase db, RelayPairNodes nodes, ChatService chat,
                            EventHub hub, ExecutorService cryptoExecutor, PairSettings settings) {
        return new PairService(identity.requireSecret("pairing (--pair-enable)"), new SqlitePairStore(db, Clock.systemUTC()),
                nodes, chat, hub, Clock.systemUTC(), Schedulers.fromExecutorService(cryptoExecutor, "pair-crypto"),
                Schedulers.parallel(), settings);
    }

    @Bean
    SmartLifecycle pairLifecycle(PairService pairs) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                pairs.start().block(java.time.Duration.ofSeconds(30)); // start-up thread: reading the records
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                pairs.close();
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return SmartLifecycle.DEFAULT_PHASE - 1024; // after the feed node and the chat links are up
            }
        };
    }
}
