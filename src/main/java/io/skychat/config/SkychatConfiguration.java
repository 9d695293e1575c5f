package io.skychat.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.skychat.core.ChatCounters;
import io.skychat.core.ChatService;
import io.skychat.core.EventHub;
import io.skychat.core.PeerKey;
import io.skychat.core.PeerLinks;
import io.skychat.core.PeerRateLimiter;
import io.skychat.core.Transport;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import io.skychat.transport.tcp.TcpPeer;
import io.skychat.transport.tcp.TcpSettings;
import io.skychat.transport.tcp.TcpStats;
import io.skychat.transport.tcp.TcpTransport;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the domain from {@link SkychatProperties}; the only place Spring settings meet the core. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SkychatProperties.class)
class SkychatConfiguration {

    @Bean(destroyMethod = "destroy")
    KeyPair identity(SkychatProperties props, Environment env) {
        IdentityResolver.Identity id = IdentityResolver.resolve(props.sk(), env.getProperty("DMSGCURL_SK"), props.config());
        org.slf4j.LoggerFactory.getLogger(SkychatConfiguration.class)
                .info("skychat identity {} (from {})", id.keyPair().publicKey(), id.source());
        return id.keyPair();
    }

    /**
     * Handshake crypto (EC multiplications) runs here, off the event loops: a few threads and a bounded
     * queue, so a flood of handshakes is refused instead of piling up.
     */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService cryptoExecutor() {
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "skychat-crypto-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Bean
    ChatCounters chatCounters() {
        return new ChatCounters();
    }

    @Bean
    TcpStats tcpStats() {
        return new TcpStats();
    }

    @Bean(destroyMethod = "close")
    TcpTransport tcpTransport(KeyPair identity, SkychatProperties props, ExecutorService cryptoExecutor, TcpStats stats) {
        SkychatProperties.Tcp tcp = props.tcp();
        List<TcpPeer> peers = tcp.peers().stream().filter(s -> !s.isBlank()).map(TcpPeer::parse).toList();
        Set<PeerKey> whitelist = tcp.whitelist().stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> {
                    try {
                        return PeerKey.parse(s);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("tcp-whitelist: invalid pk \"" + s + "\": " + e.getMessage());
                    }
                })
                .collect(Collectors.toSet());
        var listen = tcp.listen() == null || tcp.listen().isBlank() ? null : BindAddress.parse(tcp.listen()).toSocketAddress();
        TcpSettings settings = new TcpSettings(listen, peers, whitelist, tcp.dialTimeout(), tcp.handshakeTimeout(),
                tcp.backoffMin(), tcp.backoffMax(), tcp.maxConnections(), tcp.maxHalfOpenPerIp());
        return new TcpTransport(identity, settings, cryptoExecutor, stats);
    }

    @Bean(destroyMethod = "close")
    PeerLinks peerLinks(TcpTransport tcp) {
        List<Transport> transports = new ArrayList<>();
        transports.add(tcp);
        return new PeerLinks(transports);
    }

    @Bean
    EventHub eventHub(ChatCounters counters) {
        return new EventHub(counters);
    }

    @Bean
    ChatService chatService(KeyPair identity, PeerLinks links, EventHub hub, ChatCounters counters,
                            SkychatProperties props) {
        // Standalone has no relay networks: TCP-direct is the only way out. Visor mode defaults to skynet.
        TransportKind defaultNetwork = props.standalone() ? TransportKind.TCP_DIRECT : TransportKind.SKYNET;
        SkychatProperties.PeerRate rate = props.limits().peerRate();
        return new ChatService(identity.publicKey(), links, hub, counters, Clock.systemUTC(), defaultNetwork,
                PeerRateLimiter.perSecond(rate.perSecond(), rate.burst()));
    }

    @Bean
    NodeLifecycle nodeLifecycle(TcpTransport tcp, ChatService chat) {
        return new NodeLifecycle(tcp, chat);
    }
}
