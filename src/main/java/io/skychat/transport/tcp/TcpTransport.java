package io.skychat.transport.tcp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import io.skychat.core.ChatLink;
import io.skychat.core.PeerKey;
import io.skychat.core.Transport;
import io.skychat.core.TransportException;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.NoiseHandshake;
import io.skychat.transport.codec.ChatFrameCodec;
import io.skychat.transport.codec.NoiseHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;
import reactor.util.retry.Retry;

/**
 * TCP-direct: plain TCP with Noise XK (the dialler pins the listener's key), then chat frames inside noise
 * frames. Accepts on {@code --tcp-listen}, keeps one persistent link per {@code --tcp-peer} and dials the
 * addresses it knows on demand.
 */
public final class TcpTransport implements Transport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
    static final int SEEN_PEERS = 10_000;
    private static final Duration EMIT_PATIENCE = Duration.ofMillis(200);
    /** Frees the connection's place in its IP's half-open count once the handshake is done. */
    private static final AttributeKey<Runnable> HALF_OPEN_SLOT = AttributeKey.valueOf("skychat.halfOpenSlot");

    private final KeyPair identity;
    private final TcpSettings settings;
    private final Executor crypto;
    private final TcpStats stats;
    private final Map<PeerKey, InetSocketAddress> addresses = new ConcurrentHashMap<>();
    // Links are few and long-lived; if nobody consumes them something is badly wrong, so fail loudly.
    private final Sinks.Many<ChatLink> links = Sinks.many().multicast().onBackpressureBuffer(256, false);
    private final AtomicInteger inboundConnections = new AtomicInteger();
    /** Keys that connected in, most recent last; bounded so a stream of throwaway keys cannot grow it. */
    private final java.util.Set<PeerKey> seen = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<PeerKey, Boolean> eldest) {
                    return size() > SEEN_PEERS;
                }
            }));
    private final Map<InetAddress, Integer> halfOpen = new ConcurrentHashMap<>();
    private final Disposable.Composite loops = Disposables.composite();
    private volatile DisposableServer server;

    public TcpTransport(KeyPair identity, TcpSettings settings, Executor crypto, TcpStats stats) {
        this.identity = identity;
        this.settings = settings;
        this.crypto = crypto;
        this.stats = stats;
        settings.peers().forEach(p -> addresses.put(p.key(), p.address()));
    }

    @Override
    public TransportKind kind() {
        return TransportKind.TCP_DIRECT;
    }

    public TcpStats stats() {
        return stats;
    }

    /** Binds the listener (if configured) and starts the persistent peer links. Blocks until bound. */
    public TcpTransport startNow() {
        if (settings.listen() != null) {
            server = TcpServer.create()
                    .bindAddress(settings::listen)
                    .doOnConnection(this::acceptConnection)
                    .handle((in, out) -> {
                        Connection[] conn = new Connection[1];
                        in.withConnection(c -> conn[0] = c);
                        if (conn[0].isDisposed()) {
                            return Mono.empty(); // refused over the connection cap
                        }
                        // Reactor Netty reads only on demand, so nothing has been read before this point.
                        install(conn[0], NoiseHandshake.xkResponder(identity));
                        return authenticate(conn[0], null)
                                .flatMap(ChatLink::onClose)
                                .onErrorResume(TransportException.class, e -> Mono.empty());
                    })
                    .bindNow(Duration.ofSeconds(10));
            log.info("tcp-direct listening on {} as {}{}", server.address(), identity.publicKey(),
                    settings.whitelist().isEmpty() ? " (no whitelist: any authenticated key may connect)" : "");
        }
        for (TcpPeer peer : settings.peers()) {
            loops.add(persistentLink(peer));
        }
        return this;
    }

    /** The bound listener address, for a listener configured on port 0. */
    public InetSocketAddress boundAddress() {
        DisposableServer s = server;
        return s == null ? null : (InetSocketAddress) s.address();
    }


    @Override
    public Mono<ChatLink> dial(PeerKey peer, int port) {
        InetSocketAddress address = addresses.get(peer);
        if (address == null) {
            return Mono.error(TransportException.unreachable(peer, kind(),
                    "no tcp-direct address known (add --tcp-peer tcp://" + peer + "@host:port)", null));
        }
        return connect(peer, address);
    }

    /**
     * A peer is reachable when we know its address, or when it is expected to dial us: it is on the
     * whitelist or has connected before. Messages to such a peer wait in the outbox until it does.
     */
    @Override
    public boolean canReach(PeerKey peer) {
        return addresses.containsKey(peer) || settings.whitelist().contains(peer) || seen.contains(peer);
    }

    @Override
    public String whyUnreachable(PeerKey peer) {
        return "no tcp-direct address known (add --tcp-peer tcp://" + peer + "@host:port)";
    }

    @Override
    public Flux<ChatLink> links() {
        return links.asFlux();
    }

    @Override
    public boolean isUp() {
        DisposableServer s = server;
        return settings.listen() == null || (s != null && !s.isDisposed());
    }

    private void acceptConnection(Connection conn) {
        if (inboundConnections.incrementAndGet() > settings.maxConnections()) {
            stats.refusedOverCap.incrementAndGet();
            conn.onDispose(inboundConnections::decrementAndGet);
            conn.dispose();
            return;
        }
        conn.onDispose(inboundConnections::decrementAndGet);
        // One address opening handshakes it never finishes must not use up the whole connection cap.
        InetAddress ip = remoteIp(conn);
        if (ip != null) {
            if (halfOpen.merge(ip, 1, Integer::sum) > settings.maxHalfOpenPerIp()) {
                releaseHalfOpen(ip);
                stats.refusedHalfOpen.incrementAndGet();
                conn.dispose();
                return;
            }
            AtomicBoolean released = new AtomicBoolean();
            Runnable release = () -> {
                if (released.compareAndSet(false, true)) {
                    releaseHalfOpen(ip);
                }
            };
            conn.channel().attr(HALF_OPEN_SLOT).set(release);
            conn.onDispose(release::run);
        }
        stats.accepted.incrementAndGet();
    }

    private void releaseHalfOpen(InetAddress ip) {
        halfOpen.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static InetAddress remoteIp(Connection conn) {
        return conn.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    private Mono<ChatLink> connect(PeerKey peer, SocketAddress address) {
        return TcpClient.newConnection()
                .remoteAddress(() -> address)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.dialTimeout().toMillis())
                .connect()
                .onErrorMap(e -> !(e instanceof TransportException),
                        e -> TransportException.unreachable(peer, kind(), describe(e), e))
                .doOnError(e -> stats.dialFailures.incrementAndGet())
                .flatMap(conn -> {
                    install(conn, NoiseHandshake.xkInitiator(identity, peer));
                    return authenticate(conn, peer);
                });
    }

    private void install(Connection conn, NoiseHandshake handshake) {
        conn.addHandlerLast("noise-frame", NoiseHandler.frameDecoder())
                .addHandlerLast("noise", new NoiseHandler(handshake, crypto))
                .addHandlerLast("chat-frame", new ChatFrameCodec())
                .addHandlerLast("frame-error-guard", new FrameErrorGuard(stats));
    }

    /** Waits for the handshake, checks who is on the other end and publishes the link. */
    private Mono<ChatLink> authenticate(Connection conn, PeerKey expected) {
        NoiseHandler noise = conn.channel().pipeline().get(NoiseHandler.class);
        Mono<PeerKey> handshake = Mono.create(sink -> noise.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                sink.success((PeerKey) f.getNow());
            } else {
                sink.error(f.cause());
            }
        }));
        return handshake
                .timeout(settings.handshakeTimeout())
                .onErrorMap(e -> {
                    stats.handshakeFailures.incrementAndGet();
                    conn.dispose();
                    String who = expected == null ? String.valueOf(conn.channel().remoteAddress()) : expected.hex();
                    log.debug("tcp-direct handshake with {} failed: {}", who, describe(e));
                    return expected == null
                            ? TransportException.protocol(null, kind(), "handshake failed: " + describe(e))
                            : TransportException.unreachable(expected, kind(), "handshake failed: " + describe(e), e);
                })
                .flatMap(remote -> {
                    Runnable slot = conn.channel().attr(HALF_OPEN_SLOT).getAndSet(null);
                    if (slot != null) {
                        slot.run();
                    }
                    if (expected == null && !settings.admits(remote)) {
                        stats.rejectedPeers.incrementAndGet();
                        log.info("tcp-direct rejecting {}: not on the whitelist", remote);
                        conn.dispose();
                        return Mono.error(TransportException.protocol(remote, kind(), "not on the whitelist"));
                    }
                    ChatLink link = new TcpChatLink(conn, remote);
                    seen.add(remote);
                    // Handshakes finish on different event loops at once: wait out another emitter rather than
                    // fail with FAIL_NON_SERIALIZED and close a healthy link (the other emission takes microseconds).
                    try {
                        links.emitNext(link, Sinks.EmitFailureHandler.busyLooping(EMIT_PATIENCE));
                    } catch (Sinks.EmissionException e) {
                        conn.dispose();
                        return Mono.error(TransportException.linkClosed(remote, kind()));
                    }
                    log.info("tcp-direct {} {}", expected == null ? "accepted" : "dialled", link);
                    return Mono.just(link);
                });
    }

    private Disposable persistentLink(TcpPeer peer) {
        return Flux.defer(() -> connect(peer.key(), peer.address()))
                .flatMap(link -> Flux.concat(Mono.just(link), link.onClose()
                        .then(Mono.error(() -> TransportException.linkClosed(peer.key(), kind())))))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, settings.backoffMin())
                        .maxBackoff(settings.backoffMax())
                        .transientErrors(true)
                        .doBeforeRetry(s -> log.info("tcp-peer {}: {} (retrying)", peer, s.failure().getMessage())))
                .subscribe(null, e -> log.warn("tcp-peer {} gave up: {}", peer, e.toString()));
    }

    private static String describe(Throwable e) {
        if (e instanceof TimeoutException) {
            return "timed out";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return msg == null ? root.getClass().getSimpleName() : msg;
    }

    @Override
    public void close() {
        loops.dispose();
        DisposableServer s = server;
        if (s != null) {
            s.disposeNow(Duration.ofSeconds(5));
        }
        links.tryEmitComplete();
    }
}
