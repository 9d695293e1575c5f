package io.skychat.config;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.skychat.core.PeerLinks;
import io.skychat.transport.visor.AppNetTransport;
import io.skychat.transport.visor.SkynetTransport;
import io.skychat.transport.visor.AppNetStats;
import io.skychat.transport.visor.VisorDmsgTransport;
import io.skychat.transport.visor.VisorSession;
import io.skychat.transport.visor.VisorSettings;
import io.skychat.transport.visor.VisorStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Visor-hosted mode: the attachment to the visor and the two networks over it, skynet and the visor's dmsg.
 * Declared only when {@link VisorMode} finds a visor to attach to; the chat service picks the transports up
 * like any other.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(VisorMode.Requested.class)
class VisorConfiguration {

    private static final Logger log = LoggerFactory.getLogger(VisorConfiguration.class);

    @Bean
    VisorSettings visorSettings(SkychatProperties props, Environment env) {
        return VisorMode.settings(props, env);
    }

    @Bean
    VisorStats visorStats() {
        return new VisorStats();
    }

    @Bean
    VisorSession visorSession(VisorSettings settings, VisorStats stats) {
        return new VisorSession(settings, stats);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "skychat.visor.skynet", havingValue = "true", matchIfMissing = true)
    SkynetTransport skynetTransport(VisorSession session) {
        return new SkynetTransport(session, new AppNetStats());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "skychat.dmsg.enabled", havingValue = "true", matchIfMissing = true)
    VisorDmsgTransport visorDmsgTransport(VisorSession session) {
        return new VisorDmsgTransport(session, new AppNetStats());
    }

    @Bean
    VisorLifecycle visorLifecycle(VisorSession session, List<AppNetTransport> networks, SkychatProperties props) {
        return new VisorLifecycle(session, networks, props.visor().pairRpc());
    }

    @Bean
    @ConditionalOnProperty(name = "skychat.visor.skynet", havingValue = "true", matchIfMissing = true)
    HealthIndicator skynetHealthIndicator(SkynetTransport skynet, PeerLinks links) {
        return () -> health(skynet, links);
    }

    @Bean
    @ConditionalOnProperty(name = "skychat.dmsg.enabled", havingValue = "true", matchIfMissing = true)
    HealthIndicator dmsgHealthIndicator(VisorDmsgTransport dmsg, PeerLinks links) {
        return () -> health(dmsg, links);
    }

    private static Health health(AppNetTransport t, PeerLinks links) {
        VisorSession session = t.session();
        VisorStats s = session.stats();
        return NetworkHealth.of(t, links)
                .withDetail("app_server", VisorSettings.describe(session.settings().appServer()))
                .withDetail("attached", session.isAttached())
                .withDetail("accepted", t.stats().accepted.get())
                .withDetail("dialled", t.stats().dialled.get())
                .withDetail("dial_failures", t.stats().dialFailures.get())
                .withDetail("rejected_frames", t.stats().chatFramesRejected.get())
                .withDetail("attachments", s.attached.get())
                .withDetail("attachments_dropped", s.dropped.get())
                .build();
    }

    /** Meters of the visor networks, named like the TCP-direct ones and tagged by transport. */
    @Bean
    MeterBinder visorMeters(VisorSession session, List<AppNetTransport> networks) {
        return registry -> {
            VisorStats s = session.stats();
            counter(registry, "visor.attached", s.attached, "attachments to the visor that reached Running");
            counter(registry, "visor.attach_failures", s.attachFailures, "attempts to attach that failed");
            counter(registry, "visor.dropped", s.dropped, "attachments lost: visor gone or unreadable replies");
            Gauge.builder(ObservabilityConfiguration.PREFIX + "visor.up", session, v -> v.isAttached() ? 1 : 0)
                    .description("1 while attached to the visor").register(registry);
            for (AppNetTransport t : networks) {
                transportCounter(registry, "connections.accepted", t, t.stats().accepted);
                transportCounter(registry, "dials", t, t.stats().dialled);
                transportCounter(registry, "dials.failed", t, t.stats().dialFailures);
                transportCounter(registry, "frames.rejected.chat", t, t.stats().chatFramesRejected);
            }
        };
    }

    private static void counter(MeterRegistry registry, String name, AtomicLong value, String description) {
        FunctionCounter.builder(ObservabilityConfiguration.PREFIX + name, value, AtomicLong::get)
                .description(description).register(registry);
    }

    private static void transportCounter(MeterRegistry registry, String name, AppNetTransport t, AtomicLong value) {
        FunctionCounter.builder(ObservabilityConfiguration.PREFIX + "transport." + name, value, AtomicLong::get)
                .tag("transport", t.kind().label()).register(registry);
    }

    /**
     * Attaches once the chat service takes links (the node's own lifecycle starts first) and says goodbye to
     * the visor before the node's links and store close.
     */
    static final class VisorLifecycle implements SmartLifecycle {

        private final VisorSession session;
        private final List<AppNetTransport> networks;
        private final String pairRpc;
        private volatile boolean running;

        VisorLifecycle(VisorSession session, List<AppNetTransport> networks, String pairRpc) {
            this.session = session;
            this.networks = networks;
            this.pairRpc = pairRpc;
        }

        @Override
        public void start() {
            networks.forEach(AppNetTransport::start);
            session.start();
            VisorSettings s = session.settings();
            log.info("visor-hosted: attaching to the app server at {} as {}{}; networks {}; pair-rpc {}",
                    VisorSettings.describe(s.appServer()), s.visorPk(),
                    s.registers() ? " (registering at the visor RPC " + VisorSettings.describe(s.visorRpc()) + ")"
                            : " (started by the visor)",
                    s.networks(), pairRpc);
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            try {
                session.close();
            } catch (RuntimeException e) {
                log.warn("visor goodbye failed: {}", e.getMessage());
            }
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        /** Just after {@link NodeLifecycle}: started after it, stopped before it. */
        @Override
        public int getPhase() {
            return SmartLifecycle.DEFAULT_PHASE - 2047;
        }
    }
}
