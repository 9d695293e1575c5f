package io.skychat.config;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.skychat.api.ApiSettings;
import io.skychat.api.HttpStats;
import io.skychat.api.StreamSlots;
import io.skychat.api.StreamSettings;
import io.skychat.core.ChatService;
import io.skychat.store.SqliteMessageStore;
import io.skychat.core.ChatCounters;
import io.skychat.core.EventHub;
import io.skychat.core.PeerLinks;
import io.skychat.core.TransportKind;
import io.skychat.transport.tcp.TcpStats;
import io.skychat.transport.tcp.TcpTransport;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Meters for every {@code /status} counter, declared in one place, and one health indicator per transport. */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration {

    static final String PREFIX = "skychat.";

    @Bean
    StreamSettings streamSettings(SkychatProperties props) {
        return new StreamSettings(props.sse().pingInterval());
    }

    @Bean
    ApiSettings apiSettings(io.skychat.store.PersistenceSettings persist) {
        return new ApiSettings(persist.seed());
    }

    /** How the store thread's group commit is doing: units per commit is the batching a load gets. */
    @Bean
    MeterBinder storeMeters(io.skychat.store.SqliteDatabase db) {
        return registry -> {
            FunctionCounter.builder(PREFIX + "store.commits", db, io.skychat.store.SqliteDatabase::commits)
                    .description("transactions the store thread committed").register(registry);
            FunctionCounter.builder(PREFIX + "store.units", db, io.skychat.store.SqliteDatabase::committedUnits)
                    .description("writes (units) those transactions held").register(registry);
            FunctionCounter.builder(PREFIX + "store.checkpoints", db, io.skychat.store.SqliteDatabase::checkpoints)
                    .description("write-ahead log checkpoints, run off the store thread").register(registry);
            Gauge.builder(PREFIX + "store.queued", db, io.skychat.store.SqliteDatabase::queued)
                    .description("writes waiting for the store thread").register(registry);
        };
    }

    @Bean
    MeterBinder chatMeters(ChatCounters c, EventHub hub, PeerLinks links, TcpStats tcp, ChatService chat,
                           SqliteMessageStore store, HttpStats http, StreamSlots streams) {
        return registry -> {
            Gauge.builder(PREFIX + "outbox.queued", chat, s -> s.outbox().queued())
                    .description("messages accepted and not yet acknowledged").register(registry);
            Gauge.builder(PREFIX + "store.bytes", store, SqliteMessageStore::totalBytes)
                    .description("bytes of message text in history").register(registry);
            counter(registry, "messages.inbound", c.inboundMessages, "chat messages received");
            counter(registry, "messages.outbound", c.outboundMessages, "chat messages written to a peer");
            counter(registry, "messages.inbound.dropped", c.inboundDrops,
                    "inbound links dropped for protocol errors");
            counter(registry, "messages.inbound.not_kept", c.inboundNotKept,
                    "messages received and acknowledged that the --persist-* limits kept out of history");
            counter(registry, "messages.outbound.failed", c.outboundFailures, "sends that failed on every network");
            counter(registry, "messages.outbound.retried", c.outboundRetries, "sends retried on a fresh link");
            counter(registry, "messages.outbound.fallback", c.outboundFallbacks, "sends moved to the fallback network");
            counter(registry, "sse.dropped", c.sseDrops, "events a stream subscriber missed");
            Gauge.builder(PREFIX + "sse.subscribers", hub, EventHub::subscriberCount).register(registry);
            Gauge.builder(PREFIX + "streams.open", streams, StreamSlots::open)
                    .description("/sse and /events streams holding a slot of skychat.limits.max-streams").register(registry);
            counter(registry, "streams.refused", http.streamsRefused,
                    "/sse and /events requests refused with 503 over skychat.limits.max-streams");
            Gauge.builder(PREFIX + "http.connections.open", http.openConnections, AtomicInteger::get)
                    .description("HTTP connections to the control surface").register(registry);
            counter(registry, "http.connections.refused", http.connectionsRefused,
                    "HTTP connections closed at accept over skychat.limits.max-connections");
            counter(registry, "http.accept.failed", http.acceptFailures,
                    "accepts the control surface's listener failed at (too many open files and the like)");
            for (TransportKind kind : TransportKind.values()) {
                Gauge.builder(PREFIX + "links.active", links, l -> l.count(kind))
                        .tag("transport", kind.label()).register(registry);
                FunctionCounter.builder(PREFIX + "messages.inbound.rate_limited", c.rateLimitedCount(kind), AtomicLong::get)
                        .description("inbound chat messages held back because their peer exceeded skychat.limits.peer-rate")
                        .tag("transport", kind.label()).register(registry);
            }
            tcpCounter(registry, "connections.accepted", tcp.accepted);
            tcpCounter(registry, "handshakes.failed", tcp.handshakeFailures);
            tcpCounter(registry, "peers.rejected", tcp.rejectedPeers);
            tcpCounter(registry, "connections.refused", tcp.refusedOverCap);
            tcpCounter(registry, "dials.failed", tcp.dialFailures);
            tcpCounter(registry, "connections.refused.half_open", tcp.refusedHalfOpen);
            tcpCounter(registry, "frames.rejected.noise", tcp.noiseFramesRejected);
            tcpCounter(registry, "frames.rejected.chat", tcp.chatFramesRejected);
        };
    }

    private static void counter(MeterRegistry registry, String name, AtomicLong value, String description) {
        FunctionCounter.builder(PREFIX + name, value, AtomicLong::get).description(description).register(registry);
    }

    private static void tcpCounter(MeterRegistry registry, String name, AtomicLong value) {
        FunctionCounter.builder(PREFIX + "transport." + name, value, AtomicLong::get)
                .tag("transport", TransportKind.TCP_DIRECT.label()).register(registry);
    }

    @Bean
    HealthIndicator tcpDirectHealthIndicator(TcpTransport tcp, PeerLinks links) {
        return () -> {
            Health.Builder h = NetworkHealth.of(tcp, links);
            if (tcp.boundAddress() != null) {
                h.withDetail("listen", tcp.boundAddress().toString());
            }
            return h.withDetail("handshake_failures", tcp.stats().handshakeFailures.get())
                    .withDetail("rejected_peers", tcp.stats().rejectedPeers.get())
                    .withDetail("refused_connections", tcp.stats().refusedOverCap.get() + tcp.stats().refusedHalfOpen.get())
                    .withDetail("rejected_frames", tcp.stats().noiseFramesRejected.get() + tcp.stats().chatFramesRejected.get())
                    .build();
        };
    }
}
