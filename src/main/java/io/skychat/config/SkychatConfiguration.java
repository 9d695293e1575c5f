package io.skychat.config;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.skychat.core.ChatCounters;
import io.skychat.core.HandOffExecutor;
import io.skychat.core.EventLog;
import io.skychat.core.Outbox;
import io.skychat.store.PersistenceSettings;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteEventJournal;
import io.skychat.store.SqliteMessageStore;
import reactor.core.scheduler.Schedulers;
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
import io.skychat.transport.visor.VisorSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the domain from {@link SkychatProperties}; the only place Spring settings meet the core. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SkychatProperties.class)
class SkychatConfiguration {

    @Bean(destroyMethod = "destroy")
    IdentityResolver.Identity identity(SkychatProperties props, Environment env,
                                       ObjectProvider<VisorSettings> visor) {
        VisorSettings attach = visor.getIfAvailable();
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SkychatConfiguration.class);
        IdentityResolver.Identity id;
        if (attach != null) {
            String from = attach.registers() ? "the visor's key (--visor-pk or -c pk)" : "PROC_CONFIG visor_pk";
            id = IdentityResolver.resolveForVisor(attach.visorPk(), from,
                    props.sk(), env.getProperty("DMSGCURL_SK"), props.config());
        } else {
            id = IdentityResolver.resolve(props.sk(), env.getProperty("DMSGCURL_SK"), props.config());
            if (!props.standalone()) {
                log.info("no visor (no PROC_CONFIG, no --app-server): running standalone, TCP-direct only");
            }
        }
        log.info("skychat identity {} (from {})", id.publicKey(), id.source());
        return id;
    }

    /**
     * Handshake crypto (EC multiplications) runs here, off the event loops: a few threads and a bounded
     * queue, so a flood of handshakes is refused instead of piling up.
     */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService cryptoExecutor() {
        // Event loops hand handshakes over; a locked pool queue could park them under contention.
        return new HandOffExecutor("skychat-crypto", Math.max(2, Runtime.getRuntime().availableProcessors()), 1024,
                "the crypto pool");
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
    TcpTransport tcpTransport(IdentityResolver.Identity identity, SkychatProperties props, ExecutorService cryptoExecutor,
                              TcpStats stats) {
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
        KeyPair key = identity.keyPair();
        if (key == null) {
            // Under a visor that keeps its secret there is nothing to run Noise with: TCP-direct is off,
            // and a transport with no listener and no addresses never opens a link.
            if (listen != null || !peers.isEmpty()) {
                throw new IllegalArgumentException("TCP-direct (--tcp-listen, --tcp-peer) needs this node's secret key, "
                        + "and under a visor the visor holds it: pass the visor's key with --sk, or drop the TCP-direct "
                        + "flags");
            }
            key = KeyPair.generate();
        }
        return new TcpTransport(key, settings, cryptoExecutor, stats);
    }

    /** Every network is a {@link Transport} bean; a new one joins by being declared, nothing here names it. */
    @Bean(destroyMethod = "close")
    PeerLinks peerLinks(List<Transport> transports) {
        return new PeerLinks(transports);
    }

    @Bean
    EventHub eventHub(ChatCounters counters) {
        return new EventHub(counters);
    }

    @Bean
    PersistenceSettings persistenceSettings(SkychatProperties props) {
        SkychatProperties.Persist p = props.persist();
        Path db = !p.enabled() ? null : p.db() != null ? p.db() : props.workDir().resolve("skychat-history.db");
        return new PersistenceSettings(p.enabled(), db, p.maxSize(),
                Quantities.ratePerMinute(p.perPeerRate(), "--persist-per-peer-rate"), p.perPeerCap(),
                Quantities.bytes(p.totalCap(), "--persist-total-cap"), Quantities.age(p.ttl(), "--persist-ttl"),
                readWhitelist(p.whitelist()), p.seed());
    }

    /** One key per line, {@code #} starts a comment; a bad line names its file and line number. */
    static Set<PeerKey> readWhitelist(Path file) {
        if (file == null) {
            return Set.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--persist-whitelist " + file + ": cannot read: " + e.getMessage(), e);
        }
        Set<PeerKey> keys = new java.util.HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").strip();
            if (!line.isEmpty()) {
                try {
                    keys.add(PeerKey.parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--persist-whitelist " + file + " line " + (i + 1) + ": " + e.getMessage());
                }
            }
        }
        return keys;
    }

    @Bean(destroyMethod = "close")
    SqliteDatabase messageDatabase(PersistenceSettings settings) {
        return SqliteDatabase.openNow(settings.database());
    }

    @Bean
    SqliteMessageStore messageStore(SqliteDatabase db, IdentityResolver.Identity identity, PersistenceSettings settings) {
        return new SqliteMessageStore(db, identity.publicKey(), settings, Clock.systemUTC());
    }

    @Bean
    EventLog eventLog(SqliteDatabase db, EventHub hub) {
        EventLog log = new EventLog(new SqliteEventJournal(db), db.executor(), Clock.systemUTC());
        log.loadNow();
        hub.addListener(log::record);
        return log;
    }

    @Bean
    ChatService chatService(IdentityResolver.Identity identity, PeerLinks links, EventHub hub, ChatCounters counters,
                            SkychatProperties props, SqliteMessageStore store, EventLog eventLog) {
        // Under a visor: skynet, as upstream, or the visor's dmsg when skynet is switched off. Standalone:
        // TCP-direct alone, or "auto" (an open link, else dmsg) once a relay network is on.
        TransportKind defaultNetwork = !props.standalone()
                ? (!links.isEnabled(TransportKind.SKYNET) && links.isEnabled(TransportKind.DMSG) ? TransportKind.DMSG
                        : TransportKind.SKYNET)
                : links.isEnabled(TransportKind.DMSG) || links.isEnabled(TransportKind.SKYNET) ? null
                : TransportKind.TCP_DIRECT;
        SkychatProperties.Outbox o = props.outbox();
        return new ChatService(identity.publicKey(), links, hub, counters, Clock.systemUTC(), defaultNetwork,
                store, store, Schedulers.parallel(), new Outbox.Settings(o.expiry(), o.window(), o.ackTimeout()),
                PeerRateLimiter.perSecond(props.limits().peerRate().perSecond(), props.limits().peerRate().burst()));
    }

    @Bean
    NodeLifecycle nodeLifecycle(TcpTransport tcp, ChatService chat, SqliteMessageStore store,
                                PersistenceSettings settings) {
        return new NodeLifecycle(tcp, chat, store, settings.sweepInterval());
    }
}
