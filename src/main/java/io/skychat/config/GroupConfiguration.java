package io.skychat.config;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;

import io.skychat.core.EventHub;
import io.skychat.core.StreamNetwork;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.feed.node.NodeExecutor;
import io.skychat.groups.GroupService;
import io.skychat.groups.GroupSettings;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteGroupStore;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * Groups ({@code skychat.group.*}): on whenever this node runs a relay network for the group feeds and has
 * its own secret (feeds and mutations are signed with it), as upstream; otherwise, or with {@code --no-groups},
 * the service exists but answers every call as unavailable, saying why.
 */
@Configuration(proxyBeanMethods = false)
class GroupConfiguration {

    @Bean
    GroupSettings groupSettings(SkychatProperties props) {
        SkychatProperties.Group g = props.group();
        return new GroupSettings(g.maxText(), g.powBits(), g.joinStagger(), g.joinTimeout(), g.pendingRetry(),
                g.rosterRebroadcast(), g.rateBurst(), g.rateRefill(), g.maxPending(), g.subscribeRetryMax(),
                g.removeGrace());
    }

    @Bean(destroyMethod = "close")
    GroupService groupService(IdentityResolver.Identity identity, SqliteDatabase db, FeedNodeSettings feedSettings,
                              NodeExecutor feedExecutor, List<StreamNetwork> networks, EventHub hub,
                              ExecutorService cryptoExecutor, GroupSettings settings, SkychatProperties props) {
        if (!props.group().enabled()) {
            return GroupService.unavailable("groups are off on this node (started with --no-groups)");
        }
        if (networks.isEmpty()) {
            return GroupService.unavailable("groups need a relay network for the group feeds: add --dmsg (or run "
                    + "under a visor)");
        }
        if (!identity.hasSecret()) {
            return GroupService.unavailable("groups need this node's secret key (feeds and mutations are signed "
                    + "with it); set --sk");
        }
        RelayGroupNodes nodes = new RelayGroupNodes(new RelayFeeds(identity.keyPair(), db, Clock.systemUTC(), feedSettings,
                feedExecutor, Schedulers.parallel(), networks, props.cxo().backoffMin(), props.cxo().backoffMax()));
        return new GroupService(identity.keyPair(), new SqliteGroupStore(db, Clock.systemUTC()), nodes, hub,
                Clock.systemUTC(), Schedulers.fromExecutorService(cryptoExecutor, "group-crypto"), Schedulers.parallel(),
                settings);
    }

    @Bean
    SmartLifecycle groupLifecycle(GroupService groups) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                groups.start().block(java.time.Duration.ofSeconds(30)); // start-up thread: reading the records
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                groups.close();
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return SmartLifecycle.DEFAULT_PHASE - 1024; // after the relay networks are up
            }
        };
    }
}
