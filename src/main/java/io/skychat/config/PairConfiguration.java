package io.skychat.config;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ExecutorService;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.skychat.core.ChatService;
import io.skychat.core.EventHub;
import io.skychat.core.StreamNetwork;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.feed.node.NodeExecutor;
import io.skychat.pairs.LocalPairFeeds;
import io.skychat.pairs.PairCounters;
import io.skychat.pairs.PairFeeds;
import io.skychat.pairs.PairService;
import io.skychat.pairs.PairSettings;
import io.skychat.pairs.PairStore;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqlitePairStore;
import io.skychat.transport.visor.VisorPairFeeds;
import io.skychat.transport.visor.VisorSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import reactor.core.scheduler.Schedulers;

/**
 * Pairing ({@code --pair-enable}, {@code skychat.pair.*}): the service exists only when it is on; the
 * routes answer 503 otherwise. It needs the node's secret (feeds are signed and sealed with it) and a relay
 * network (dmsg, or the visor's networks) for the per-pair feed nodes, unless the visor runs the feeds itself
 * ({@link #pairFeeds}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "skychat.pair.enabled", havingValue = "true")
class PairConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PairConfiguration.class);

    @Bean
    PairSettings pairSettings(SkychatProperties props) {
        SkychatProperties.Pair p = props.pair();
        return new PairSettings(p.maxText(), p.rotateAfter(), p.rotateAge(), p.inviteRetryMin(), p.inviteRetryMax(),
                p.subscribeRetryMax());
    }

    @Bean
    PairCounters pairCounters() {
        return new PairCounters();
    }

    @Bean
    PairStore pairStore(SqliteDatabase db) {
        return new SqlitePairStore(db, Clock.systemUTC());
    }

    /**
     * Who runs the pair feeds. Under a visor whose pair RPC answers {@code PairList} (upstream's visor runs pairs
     * itself), the visor: {@link VisorPairFeeds}. Otherwise this node, one feed node per active pair on the pair
     * port of every relay network it runs ({@link RelayPairNodes}), signed with the node's key, which under a
     * visor is the visor's key from {@code -c}. {@code --pair-feeds visor|local} insists on one.
     */
    @Bean(destroyMethod = "close")
    PairFeeds pairFeeds(IdentityResolver.Identity identity, SqliteDatabase db, FeedNodeSettings feedSettings,
                        NodeExecutor feedExecutor, ObjectProvider<List<StreamNetwork>> networks, SkychatProperties props,
                        Environment env, PairStore store, PairCounters counters, ExecutorService cryptoExecutor,
                        PairSettings settings) {
        String feeds = props.pair().feeds();
        if (!List.of("auto", "visor", "local").contains(feeds)) {
            throw new IllegalArgumentException("--pair-feeds must be auto, visor or local, not '" + feeds + "'");
        }
        boolean underVisor = VisorMode.requested(env);
        if (!underVisor && feeds.equals("visor")) {
            throw new IllegalArgumentException("--pair-feeds visor needs a visor (PROC_CONFIG, or --app-server)");
        }
        if (underVisor && !feeds.equals("local")) {
            var address = VisorSettings.parseAddress(props.visor().pairRpc(), "--pair-rpc");
            var refusal = VisorPairFeeds.refusal(address, props.visor().callTimeout());
            if (refusal.isEmpty()) {
                log.info("pairing: the visor runs the pair feeds; driving them through its pair RPC at {}", address);
                return new VisorPairFeeds(address, props.visor().callTimeout(), props.pair().pollInterval(),
                        Schedulers.parallel());
            }
            if (feeds.equals("visor")) {
                throw new IllegalStateException("--pair-feeds visor: the visor's pair RPC at " + address
                        + " does not serve pairs: " + refusal.get());
            }
            log.info("pairing: the visor's pair RPC at {} does not serve pairs ({}); this node runs the pair feeds "
                    + "over the visor's networks", address, refusal.get());
        }
        var nodes = new RelayPairNodes(new RelayFeeds(identity.requireSecret("pairing (--pair-enable)"), db,
                Clock.systemUTC(), feedSettings, feedExecutor, Schedulers.parallel(), networks.getIfAvailable(List::of),
                props.cxo().backoffMin(), props.cxo().backoffMax()));
        return new LocalPairFeeds(identity.requireSecret("pairing (--pair-enable)"), nodes, store, counters,
                Clock.systemUTC(), Schedulers.fromExecutorService(cryptoExecutor, "pair-crypto"), settings);
    }

    @Bean(destroyMethod = "close")
    PairService pairService(IdentityResolver.Identity identity, PairStore store, PairFeeds feeds, PairCounters counters,
                            ChatService chat, EventHub hub, PairSettings settings) {
        return new PairService(identity.publicKey(), store, feeds, counters, chat, hub, Clock.systemUTC(),
                Schedulers.parallel(), settings);
    }

    /** Every pair counter as a Prometheus counter ({@code skychat_pair_*_total}), tagged with who runs the feeds. */
    @Bean
    MeterBinder pairMeters(PairCounters c, PairFeeds feeds) {
        return registry -> {
            Map<String, AtomicLong> counters = new LinkedHashMap<>();
            counters.put("invites.sent", c.invitesSent);
            counters.put("invites.failed", c.inviteFailures);
            counters.put("control.ignored", c.controlIgnored);
            counters.put("messages.sent", c.messagesSent);
            counters.put("messages.received", c.messagesReceived);
            counters.put("leaves.refused", c.leavesRefused);
            counters.put("leaves.parked", c.leavesParked);
            counters.put("announcements.refused", c.announcementsRefused);
            counters.put("ratchet.rotations", c.rotations);
            counters.put("subscribe.failures", c.subscribeFailures);
            counters.forEach((name, value) -> FunctionCounter.builder("skychat.pair." + name, value, AtomicLong::get)
                    .tag("feeds", feeds.name()).register(registry));
            if (feeds instanceof VisorPairFeeds v) {
                FunctionCounter.builder("skychat.pair.visor.polls", v, VisorPairFeeds::polls)
                        .description("reads of the visor's pair inbox").register(registry);
                FunctionCounter.builder("skychat.pair.visor.poll.failures", v, VisorPairFeeds::pollFailures)
                        .description("reads of the visor's pair inbox that failed").register(registry);
                FunctionCounter.builder("skychat.pair.visor.unpaired", v, VisorPairFeeds::unpaired)
                        .description("messages in the visor's inbox from peers not paired here").register(registry);
            }
        };
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
