package io.skychat.transport.cxo;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.NoiseHandshake;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.NodeLink;
import io.skychat.feed.wire.NodeFrame;
import io.skychat.transport.codec.NoiseHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;
import reactor.util.retry.Retry;

/**
 * CXO over TCP with Noise XX: each side learns the other's static key in the handshake, and that key is
 * what the node binds the Syn's node id to. A dialled peer must present the key its address names.
 * Node frames travel inside Noise transport frames; the node reassembles them.
 */
public final class CxoTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CxoTransport.class);

    private final KeyPair identity;
    private final CxoSettings settings;
    private final Executor crypto;
    private final FeedNode node;
    private final AtomicInteger inbound = new AtomicInteger();
    private final AtomicInteger handshakeFailures = new AtomicInteger();
    private final Disposable.Composite loops = Disposables.composite();
    private final java.util.Set<Connection> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile DisposableServer server;

    public CxoTransport(KeyPair identity, CxoSettings settings, Executor crypto, FeedNode node) {
        this.identity = identity;
        this.settings = settings;
        this.crypto = crypto;
        this.node = node;
    }

    /** Binds the listener (if configured) and starts the kept-up peer connections. Blocks until bound. */
    public CxoTransport startNow() {
        if (settings.listen() != null) {
            server = TcpServer.create()
                    .bindAddress(settings::listen)
                    .childOption(ChannelOption.SO_KEEPALIVE, true) // quiet feed links are kept: let TCP find dead ones
                    .doOnConnection(conn -> {
                        if (inbound.incrementAndGet() > settings.maxConnections()) {
                            conn.dispose();
                        }
                        conn.onDispose(inbound::decrementAndGet);
                    })
                    .handle((in, out) -> {
                        Connection[] conn = new Connection[1];
                        in.withConnection(c -> conn[0] = c);
                        if (conn[0].isDisposed()) {
                            return Mono.empty();
                        }
                        return open(conn[0], null).then(conn[0].onDispose()).onErrorResume(e -> Mono.empty());
                    })
                    .bindNow(Duration.ofSeconds(10));
            log.info("cxo listening on {} as {}", server.address(), identity.publicKey());
        }
        for (CxoPeer peer : settings.peers()) {
            loops.add(keepUp(peer));
        }
        return this;
    }

    public InetSocketAddress boundAddress() {
        DisposableServer s = server;
        return s == null ? null : (InetSocketAddress) s.address();
    }

    public int handshakeFailures() {
        return handshakeFailures.get();
    }

    /** One connection to {@code peer}; completes once the node has it, fails if the peer is not who it should be. */
    public Mono<Connection> dial(CxoPeer peer) {
        return connect(peer.key(), peer.address());
    }

    private Mono<Connection> connect(PeerKey expected, SocketAddress address) {
        return TcpClient.newConnection()
                .remoteAddress(() -> address)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.dialTimeout().toMillis())
                .option(ChannelOption.SO_KEEPALIVE, true)
                .connect()
                .flatMap(conn -> open(conn, expected));
    }

    /** Runs the handshake, checks the key, and hands the connection to the node. */
    private Mono<Connection> open(Connection conn, PeerKey expected) {
        NoiseHandler noise = new NoiseHandler(expected == null ? NoiseHandshake.xxResponder(identity)
                : NoiseHandshake.xxInitiator(identity), crypto);
        conn.addHandlerLast("noise-frame", NoiseHandler.frameDecoder()).addHandlerLast("noise", noise);
        Mono<PeerKey> handshake = Mono.create(sink -> noise.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                sink.success((PeerKey) f.getNow());
            } else {
                sink.error(f.cause());
            }
        }));
        return handshake.timeout(settings.handshakeTimeout())
                .onErrorMap(e -> {
                    handshakeFailures.incrementAndGet();
                    conn.dispose();
                    return new IllegalStateException("cxo handshake with " + (expected == null
                            ? conn.channel().remoteAddress() : expected) + " failed: " + describe(e), e);
                })
                .flatMap(remote -> {
                    if (expected != null && !expected.equals(remote)) {
                        handshakeFailures.incrementAndGet();
                        conn.dispose();
                        return Mono.error(new IllegalStateException("cxo peer at " + conn.channel().remoteAddress()
                                + " is " + remote + ", not " + expected));
                    }
                    NodeLink.Inbound in = node.attach(new Link(conn, remote, expected != null));
                    live.add(conn);
                    conn.onDispose(() -> {
                        live.remove(conn);
                        in.closed();
                    });
                    conn.inbound().receive().asByteArray()
                            .subscribe(in::bytes, e -> conn.dispose(), conn::dispose);
                    log.info("cxo {} {} ({})", expected == null ? "accepted" : "dialled", remote,
                            conn.channel().remoteAddress());
                    return Mono.just(conn);
                });
    }

    private Disposable keepUp(CxoPeer peer) {
        // while the peer's own dial to us is the live connection, there is nothing to dial
        return Flux.defer(() -> node.connectedPeers().contains(peer.key())
                        ? Mono.<Connection>error(new IllegalStateException("already connected"))
                        : connect(peer.key(), peer.address()))
                .flatMap(conn -> Flux.concat(Mono.just(conn), conn.onDispose()
                        .then(Mono.error(() -> new IllegalStateException("connection closed")))))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, settings.backoffMin())
                        .maxBackoff(settings.backoffMax())
                        .transientErrors(true)
                        .doBeforeRetry(s -> log.info("cxo-peer {}: {} (retrying)", peer, s.failure().getMessage())))
                .subscribe(null, e -> log.warn("cxo-peer {} gave up: {}", peer, e.toString()));
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

    /** Stops redialling, closes every connection and the listener. */
    @Override
    public void close() {
        loops.dispose();
        live.forEach(Connection::dispose);
        DisposableServer s = server;
        if (s != null) {
            s.disposeNow(Duration.ofSeconds(5));
        }
    }

    /** The node's view of one connection; Netty serialises the writes on the channel's event loop. */
    private static final class Link implements NodeLink {
        private final Connection conn;
        private final PeerKey peer;
        private final boolean dialer;

        Link(Connection conn, PeerKey peer, boolean dialer) {
            this.conn = conn;
            this.peer = peer;
            this.dialer = dialer;
        }

        @Override
        public PeerKey peer() {
            return peer;
        }

        @Override
        public boolean dialer() {
            return dialer;
        }

        @Override
        public void send(NodeFrame frame) {
            if (!conn.isDisposed()) {
                conn.channel().writeAndFlush(Unpooled.wrappedBuffer(frame.wire()));
            }
        }

        @Override
        public void close() {
            conn.dispose();
        }
    }
}
