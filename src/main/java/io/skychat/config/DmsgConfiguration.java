package io.skychat.config;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.skychat.core.PeerLinks;
import io.skychat.core.TransportKind;
import io.skychat.transport.dmsg.DmsgServerAddress;
import io.skychat.transport.dmsg.DmsgSettings;
import io.skychat.transport.dmsg.DmsgStats;
import io.skychat.transport.dmsg.DmsgTransport;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * dmsg under the node's own key, declared only with {@code --standalone --dmsg}: under a visor the visor owns
 * the dmsg sessions of its key, and a second client with that key would evict it. {@link PeerLinks} picks the
 * transport up as it takes every {@code Transport} bean.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${skychat.standalone:false} and ${skychat.dmsg.enabled:false}")
class DmsgConfiguration {

    @Bean
    DmsgStats dmsgStats() {
        return new DmsgStats();
    }

    @Bean(destroyMethod = "close")
    DmsgTransport dmsgTransport(IdentityResolver.Identity identity, SkychatProperties props,
                                ExecutorService cryptoExecutor, DmsgStats stats) {
        SkychatProperties.Dmsg d = props.dmsg();
        List<DmsgServerAddress> pinned = d.servers().stream().filter(s -> !s.isBlank()).map(DmsgServerAddress::parse).toList();
        URI disc;
        try {
            disc = URI.create(d.disc().strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dmsg-disc \"" + d.disc() + "\": not a URL: " + e.getMessage());
        }
        DmsgSettings settings = DmsgSettings.of(disc, d.sessions(), pinned)
                .withTimings(d.callTimeout(), d.dialTimeout(), d.handshakeTimeout(), d.backoffMin(), d.backoffMax())
                .withKeepAlive(d.keepAlive(), d.keepAliveTimeout())
                .withEntryRefresh(d.entryRefresh());
        return new DmsgTransport(identity.requireSecret("dmsg under the node's own key (--dmsg)"), settings,
                cryptoExecutor, stats);
    }

    /** Starts after the node (so the chat service already takes links) and stops before it. */
    @Bean
    SmartLifecycle dmsgLifecycle(DmsgTransport dmsg) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                dmsg.startNow();
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                dmsg.close();
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return SmartLifecycle.DEFAULT_PHASE - 2047;
            }
        };
    }

    @Bean
    MeterBinder dmsgMeters(DmsgStats stats, DmsgTransport dmsg) {
        return registry -> {
            Gauge.builder(ObservabilityConfiguration.PREFIX + "transport.sessions", dmsg, t -> t.sessionServers().size())
                    .description("dmsg servers with a session up").tag("transport", TransportKind.DMSG.label())
                    .register(registry);
            counter(registry, "sessions.established", stats.sessionsEstablished);
            counter(registry, "sessions.failed", stats.sessionFailures);
            counter(registry, "sessions.dropped.protocol", stats.sessionsDroppedForProtocol);
            counter(registry, "streams.dialled", stats.streamsDialled);
            counter(registry, "streams.accepted", stats.streamsAccepted);
            counter(registry, "streams.rejected", stats.streamsRejected);
            counter(registry, "dials.failed", stats.dialFailures);
            counter(registry, "frames.rejected.noise", stats.framesRejected);
            counter(registry, "discovery.errors", stats.discoveryErrors);
            counter(registry, "discovery.entry_updates", stats.entryUpdates);
        };
    }

    private static void counter(MeterRegistry registry, String name, AtomicLong value) {
        FunctionCounter.builder(ObservabilityConfiguration.PREFIX + "transport." + name, value, AtomicLong::get)
                .tag("transport", TransportKind.DMSG.label()).register(registry);
    }

    /** Component {@code dmsg}: up while at least one session is. */
    @Bean
    HealthIndicator dmsgHealthIndicator(DmsgTransport dmsg, PeerLinks links) {
        return () -> {
            DmsgStats s = dmsg.stats();
            Health.Builder h = NetworkHealth.of(dmsg, links);
            if (dmsg.lastDiscoveryError() != null) {
                h.withDetail("discovery_error", dmsg.lastDiscoveryError());
            }
            return h.withDetail("sessions", dmsg.sessionServers().stream().map(Object::toString).toList())
                    .withDetail("streams_to_listeners", s.streamsToListeners.get())
                    .withDetail("session_failures", s.sessionFailures.get())
                    .withDetail("sessions_dropped_for_protocol", s.sessionsDroppedForProtocol.get())
                    .withDetail("streams_rejected", s.streamsRejected.get())
                    .withDetail("rejected_frames", s.framesRejected.get())
                    .withDetail("discovery_errors", s.discoveryErrors.get())
                    .build();
        };
    }
}
