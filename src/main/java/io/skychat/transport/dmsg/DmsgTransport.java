package io.skychat.transport.dmsg;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ChannelOption;
import io.skychat.core.ByteStream;
import io.skychat.core.ChatLink;
import io.skychat.transport.codec.ChatStreamLink;
import io.skychat.core.PeerKey;
import io.skychat.core.StreamNetwork;
import io.skychat.core.Transport;
import io.skychat.core.TransportException;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.NoiseHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;
import reactor.util.retry.Retry;

/**
 * dmsg in standalone mode, under the node's own key: sessions with N dmsg servers (from discovery or pinned),
 * our discovery entry listing them, streams to {@code peer:port} through a server both ends have a session
 * with, and streams peers open to us on the ports we listen on: chat (port 1) always, others while someone
 * {@link #listen}s. Chat links are the chat codec over such a stream. See docs/dmsg.md and docs/dmsg-wire.md.
 */
public final class DmsgTransport implements Transport, StreamNetwork, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DmsgTransport.class);
    private static final Duration EMIT_PATIENCE = Duration.ofMillis(200);

    private final KeyPair identity;
    private final DmsgSettings settings;
    private final Executor crypto;
    private final Scheduler cryptoScheduler;
    private final DmsgStats stats;
    private final DiscoveryClient discovery;
    private final EphemeralPorts ports = new EphemeralPorts();
    private final Clock clock = Clock.systemUTC();
    /** Sessions that are up, by server key. */
    private final Map<PeerKey, DmsgClientSession> sessions = new ConcurrentHashMap<>();
    /** Servers a slot is connecting to or connected with, so two slots never pick the same one. */
    private final Set<PeerKey> claimed = ConcurrentHashMap.newKeySet();
    /** Sessions being opened on demand to reach a peer's server, shared by concurrent dials. */
    private final Map<PeerKey, Mono<DmsgClientSession>> joining = new ConcurrentHashMap<>();
    // Links are few and long-lived; if nobody consumes them something is badly wrong, so fail loudly.
    private final Sinks.Many<ChatLink> links = Sinks.many().multicast().onBackpressureBuffer(256, false);
    // Only the newest session set matters: a registration in progress is followed by at most one more.
    private final Sinks.Many<Boolean> sessionSetChanged = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable.Composite loops = Disposables.composite();
    /** Ports other than chat that someone listens on, with where their streams go. */
    private final Map<Integer, Sinks.Many<ByteStream>> listeners = new ConcurrentHashMap<>();
    private final DmsgClientSession.Listeners sessionListeners = new DmsgClientSession.Listeners() {
        @Override
        public boolean listens(int port) {
            return port == CHAT_PORT || listeners.containsKey(port);
        }

        @Override
        public void accepted(DmsgByteStream stream) {
            if (stream.port() == CHAT_PORT) {
                emit(chatLink(stream), "accepted");
                return;
            }
            Sinks.Many<ByteStream> to = listeners.get(stream.port());
            if (to == null || to.tryEmitNext(stream).isFailure()) {
                log.info("dmsg: nobody takes {} any more; closing it", stream);
                stream.close();
            } else {
                stats.streamsToListeners.incrementAndGet();
            }
        }
    };
    private volatile String lastDiscoveryError;

    public DmsgTransport(KeyPair identity, DmsgSettings settings, Executor crypto, DmsgStats stats) {
        this.identity = identity;
        this.settings = settings;
        this.crypto = crypto;
        this.cryptoScheduler = Schedulers.fromExecutor(crypto);
        this.stats = stats;
        this.discovery = new DiscoveryClient(settings.discovery().toString(), settings.callTimeout(), cryptoScheduler);
    }

    @Override
    public TransportKind kind() {
        return TransportKind.DMSG;
    }

    public DmsgStats stats() {
        return stats;
    }

    /** Starts the session loops and the entry updates; returns at once (nothing here waits for the network). */
    public DmsgTransport startNow() {
        int slots = settings.pinned().isEmpty() ? settings.sessions() : Math.min(settings.sessions(), settings.pinned().size());
        for (int i = 0; i < slots; i++) {
            loops.add(sessionLoop(i));
        }
        loops.add(sessionSetChanged.asFlux()
                .onBackpressureLatest()
                .concatMap(x -> register(), 1)
                .subscribe(null, e -> log.error("dmsg entry updates stopped", e)));
        // Re-posted now and then even without a change, as upstream clients do, so the entry stays fresh.
        loops.add(Flux.interval(settings.entryRefresh()).subscribe(i -> changed()));
        log.info("dmsg client {} starting: discovery {}, {} session(s){}", identity.publicKey(), discovery.baseUrl(), slots,
                settings.pinned().isEmpty() ? "" : ", pinned " + settings.pinned());
        return this;
    }

    /** Server keys we have a session with, sorted. */
    public List<PeerKey> sessionServers() {
        List<PeerKey> keys = new ArrayList<>(sessions.keySet());
        Collections.sort(keys);
        return keys;
    }

    /** Why discovery last failed, or null after a success. */
    public String lastDiscoveryError() {
        return lastDiscoveryError;
    }

    @Override
    public boolean isUp() {
        return sessions.values().stream().anyMatch(DmsgClientSession::isOpen);
    }

    @Override
    public Flux<ChatLink> links() {
        return links.asFlux();
    }

    @Override
    public String whyUnreachable(PeerKey peer) {
        return "no dmsg session is up";
    }

    @Override
    public Mono<ChatLink> dial(PeerKey peer, int port) {
        return stream(peer, port)
                .map(DmsgTransport::chatLink)
                .doOnNext(link -> emit(link, "dialled"));
    }

    /** The chat codec over a dmsg stream; a frame it refuses resets the stream and is counted there. */
    static ChatLink chatLink(DmsgByteStream stream) {
        return new ChatStreamLink(stream, stream::protocolError);
    }

    @Override
    public Mono<ByteStream> dialStream(PeerKey peer, int port) {
        return stream(peer, port).cast(ByteStream.class);
    }

    @Override
    public Flux<ByteStream> listen(int port) {
        if (port == CHAT_PORT) {
            return Flux.error(new IllegalArgumentException("port " + CHAT_PORT + " is chat's: take chat links from links()"));
        }
        return Flux.defer(() -> {
            // Streams are accepted as the listener asks; a listener that stops asking gets no more than this.
            Sinks.Many<ByteStream> sink = Sinks.many().unicast().onBackpressureBuffer(
                    reactor.util.concurrent.Queues.<ByteStream>get(64).get());
            if (listeners.putIfAbsent(port, sink) != null) {
                return Flux.error(new IllegalStateException("dmsg port " + port + " already has a listener"));
            }
            log.info("dmsg listening on port {}", port);
            return sink.asFlux().doFinally(sig -> listeners.remove(port, sink));
        });
    }

    private Mono<DmsgByteStream> stream(PeerKey peer, int port) {
        return Mono.defer(() -> {
            if (sessions.isEmpty()) {
                return Mono.error(TransportException.unreachable(peer, kind(), "no dmsg session is up"
                        + (lastDiscoveryError == null ? "" : " (" + lastDiscoveryError + ")"), null));
            }
            return discovery.entry(peer)
                    .onErrorMap(e -> !(e instanceof TransportException), e -> {
                        discoveryFailed(e);
                        return TransportException.unreachable(peer, kind(), e.getMessage(), e);
                    })
                    .flatMap(entry -> through(peer, entry))
                    .flatMap(session -> session.dial(peer, port));
        }).doOnError(e -> stats.dialFailures.incrementAndGet());
    }

    /**
     * A session with one of the peer's delegated servers, the only ones it can be reached through: one we
     * have, else a new session with one of them (upstream's client does the same), kept while it lives.
     */
    private Mono<DmsgClientSession> through(PeerKey peer, Optional<DiscoveryEntry> entry) {
        if (entry.isEmpty()) {
            return Mono.error(TransportException.unreachable(peer, kind(),
                    "no entry in dmsg discovery (the peer is not online)", null));
        }
        DiscoveryEntry.Client client = entry.get().client();
        List<PeerKey> servers = client == null ? List.of() : client.delegatedServers();
        if (servers.isEmpty()) {
            return Mono.error(TransportException.unreachable(peer, kind(),
                    "client entry in discovery has no delegated servers", null));
        }
        List<DmsgClientSession> shared = new ArrayList<>();
        for (PeerKey s : servers) {
            DmsgClientSession session = sessions.get(s);
            if (session != null && session.isOpen()) {
                shared.add(session);
            }
        }
        if (!shared.isEmpty()) {
            return Mono.just(shared.get(ThreadLocalRandom.current().nextInt(shared.size())));
        }
        PeerKey server = servers.get(ThreadLocalRandom.current().nextInt(servers.size()));
        return joining.computeIfAbsent(server, k -> discovery.entry(k)
                .flatMap(e -> {
                    if (e.isEmpty() || e.get().server() == null) {
                        return Mono.error(TransportException.unreachable(peer, kind(), "its dmsg server " + k
                                + " has no server entry in discovery", null));
                    }
                    log.info("dmsg: {} is reachable only through {}; opening a session with it", peer, k);
                    return connect(DmsgServerAddress.fromEntry(k, e.get().server().address()));
                })
                .doFinally(sig -> joining.remove(k))
                .cache());
    }

    private void emit(ChatLink link, String how) {
        // Sessions on different event loops may publish at once: wait out the other emitter.
        try {
            links.emitNext(link, Sinks.EmitFailureHandler.busyLooping(EMIT_PATIENCE));
            log.info("dmsg {} {}", how, link);
        } catch (Sinks.EmissionException e) {
            link.close();
        }
    }

    // --- sessions

    private Disposable sessionLoop(int slot) {
        return Flux.defer(() -> pickServer(slot).flatMap(this::connect))
                .flatMap(session -> Flux.concat(Mono.just(session), session.onClose()
                        .then(Mono.error(() -> new SessionEnded(session.server())))))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, settings.backoffMin())
                        .maxBackoff(settings.backoffMax())
                        .transientErrors(true)
                        .doBeforeRetry(s -> log.info("dmsg session slot {}: {} (retrying)", slot, s.failure().getMessage())))
                .subscribe(null, e -> log.warn("dmsg session slot {} gave up: {}", slot, e.toString()));
    }

    private static final class SessionEnded extends RuntimeException {
        SessionEnded(PeerKey server) {
            super("session with " + server + " ended", null, false, false);
        }
    }

    private Mono<DmsgServerAddress> pickServer(int slot) {
        if (!settings.pinned().isEmpty()) {
            return Mono.just(settings.pinned().get(slot % settings.pinned().size()));
        }
        return discovery.availableServers()
                .doOnError(this::discoveryFailed)
                .map(list -> {
                    lastDiscoveryError = null;
                    list.rejected().forEach(r -> log.info("dmsg discovery: ignoring a server entry: {}", r.getMessage()));
                    List<DmsgServerAddress> free = new ArrayList<>();
                    for (DiscoveryEntry e : list.servers()) {
                        if (!claimed.contains(e.staticKey())) {
                            try {
                                free.add(DmsgServerAddress.fromEntry(e.staticKey(), e.server().address()));
                            } catch (IllegalArgumentException bad) {
                                log.info("dmsg discovery: ignoring server {}: {}", e.staticKey(), bad.getMessage());
                            }
                        }
                    }
                    if (free.isEmpty()) {
                        throw new DiscoveryCallException("GET /dmsg-discovery/available_servers", 200,
                                "no free dmsg server (" + list.servers().size() + " listed, " + claimed.size() + " in use)", null);
                    }
                    return free.get(ThreadLocalRandom.current().nextInt(free.size()));
                });
    }

    private void discoveryFailed(Throwable e) {
        stats.discoveryErrors.incrementAndGet();
        lastDiscoveryError = e.getMessage();
        log.info("{}", e.getMessage());
    }

    /** TCP, then XK pinning the server's key, then yamux on the raw connection. */
    private Mono<DmsgClientSession> connect(DmsgServerAddress server) {
        if (!claimed.add(server.key())) {
            return Mono.error(new IllegalStateException("already connected to " + server));
        }
        return TcpClient.newConnection()
                .remoteAddress(server::socketAddress)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.dialTimeout().toMillis())
                .connect()
                .flatMap(conn -> handshake(conn, server))
                .doOnError(e -> {
                    claimed.remove(server.key());
                    stats.sessionFailures.incrementAndGet();
                })
                .onErrorMap(e -> !(e instanceof TransportException),
                        e -> TransportException.unreachable(server.key(), kind(), "dmsg server " + server + ": " + describe(e), e));
    }

    private Mono<DmsgClientSession> handshake(Connection conn, DmsgServerAddress server) {
        SessionHandshake xk = new SessionHandshake(NoiseHandshake.xkInitiator(identity, server.key()), crypto);
        conn.addHandlerLast("dmsg-xk", xk);
        Mono<SessionHandshake.Result> done = Mono.create(sink -> xk.result().addListener(f -> {
            if (f.isSuccess()) {
                sink.success((SessionHandshake.Result) f.getNow());
            } else {
                sink.error(f.cause());
            }
        }));
        return done.timeout(settings.handshakeTimeout())
                .doOnError(e -> conn.dispose())
                .map(result -> {
                    DmsgClientSession session = new DmsgClientSession(identity, server.key(), result.cipher(), crypto,
                            stats, ports, settings.handshakeTimeout(), sessionListeners);
                    YamuxConnection mux = new YamuxConnection(YamuxSession.client(settings.yamux()), settings.yamux(), session);
                    // Before the handshake handler leaves, so bytes behind XK message 2 reach yamux.
                    conn.channel().pipeline().addAfter("dmsg-xk", "dmsg-yamux", mux);
                    session.attach(mux);
                    return session;
                })
                .flatMap(session -> {
                    // The server refuses a second session for our key by closing the connection at once.
                    if (!session.isOpen()) {
                        return Mono.error(new IllegalStateException("server closed the session right after the handshake"));
                    }
                    sessions.put(server.key(), session);
                    stats.sessionsEstablished.incrementAndGet();
                    log.info("dmsg session with {} is up", server);
                    changed();
                    session.onClose().subscribe(null, null, () -> {
                        sessions.remove(server.key(), session);
                        claimed.remove(server.key());
                        changed();
                    });
                    return Mono.just(session);
                });
    }

    // --- discovery entry

    private void changed() {
        // Retry only a concurrent emission; after close() nobody listens and the change no longer matters.
        sessionSetChanged.emitNext(Boolean.TRUE, (signal, result) -> result == Sinks.EmitResult.FAIL_NON_SERIALIZED);
    }

    /**
     * Our entry lists the servers we have a session with (upstream's client duty after every session change):
     * absent → a new entry (sequence 0), else the next iteration, re-signed. Retried with backoff.
     */
    private Mono<Void> register() {
        return Mono.defer(() -> {
            List<PeerKey> servers = sessionServers();
            return discovery.entry(identity.publicKey())
                    .publishOn(cryptoScheduler)
                    .map(existing -> {
                        long now = nowNanos();
                        DiscoveryEntry next = existing
                                .map(e -> e.client() == null
                                        ? DiscoveryEntry.client(identity.publicKey(), e.sequence() + 1, now, servers)
                                        : e.next(Math.max(now, e.timestamp())).withDelegatedServers(servers))
                                .orElseGet(() -> DiscoveryEntry.client(identity.publicKey(), 0, now, servers));
                        return next.sign(identity);
                    })
                    .flatMap(entry -> discovery.post(entry).thenReturn(entry))
                    .doOnNext(entry -> {
                        lastDiscoveryError = null;
                        stats.entryUpdates.incrementAndGet();
                        log.info("dmsg entry posted: sequence {}, delegated servers {}", entry.sequence(), servers);
                    })
                    .then();
        }).doOnError(this::discoveryFailed)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, settings.backoffMin()).maxBackoff(settings.backoffMax()))
                .onErrorResume(e -> Mono.empty());
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static String describe(Throwable e) {
        if (e instanceof TimeoutException) {
            return "timed out";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void close() {
        loops.dispose();
        sessions.values().forEach(DmsgClientSession::close);
        links.tryEmitComplete();
        listeners.values().forEach(Sinks.Many::tryEmitComplete);
    }
}
