package io.skychat.transport.visor;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

/**
 * One TCP connection to a visor speaking Go net/rpc with gob: the app server (after the Hello) or the
 * visor's CLI RPC port. Calls are matched to replies by {@code Seq}, so a blocked Accept or Read never
 * holds up another call. Any reply we cannot read (garbage, a type nobody defined, a {@code Seq} nobody
 * asked for) closes the connection, and a closed connection fails every call still waiting.
 */
public final class AppRpcClient {

    private static final Logger log = LoggerFactory.getLogger(AppRpcClient.class);
    /** Replies to calls we gave up on are dropped quietly; this bounds how many such Seqs are remembered. */
    private static final int ABANDONED_LIMIT = 4096;

    private record Pending(AppCall<?, ?> call, MonoSink<Object> sink) {
    }

    private final Connection connection;
    private final String service;
    private final Duration deadline;
    private final RpcEncoder encoder = new RpcEncoder(); // touched only on the channel's event loop
    private final AtomicLong seq = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Set<Long> abandoned = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> closeReason = new AtomicReference<>();

    private AppRpcClient(Connection connection, String service, Duration deadline) {
        this.connection = connection;
        this.service = service;
        this.deadline = deadline;
    }

    /**
     * Dials {@code address}; with a Hello (the app server) that frame goes first. Calls go to
     * {@code service}: the proc key hex on the app server, {@value AppCall#VISOR_SERVICE} on the CLI port.
     */
    public static Mono<AppRpcClient> connect(InetSocketAddress address, String service, Hello hello,
            Duration connectTimeout, Duration deadline) {
        return TcpClient.newConnection()
                .remoteAddress(() -> address)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .connect()
                .map(conn -> {
                    AppRpcClient client = new AppRpcClient(conn, service, deadline);
                    client.install(hello);
                    return client;
                });
    }

    private void install(Hello hello) {
        connection.addHandlerLast("app-rpc-replies", new ReplyDecoder())
                .addHandlerLast("app-rpc-guard", new Guard());
        connection.onDispose(() -> failAll(closeReason.get() == null ? "closed by the visor" : closeReason.get()));
        connection.inbound().receiveObject().subscribe(this::onReply, e -> close(String.valueOf(e.getMessage())));
        if (hello != null) {
            connection.channel().writeAndFlush(Unpooled.wrappedBuffer(hello.encode()));
        }
    }

    /** A call with the default deadline. */
    public <A, R> Mono<R> call(AppCall<A, R> call, A args) {
        return call(call, args, deadline);
    }

    /**
     * A call; {@code deadline} null only for calls that block by design until something happens on the
     * network (Accept, Read): those end with an answer or with the connection.
     */
    @SuppressWarnings("unchecked")
    public <A, R> Mono<R> call(AppCall<A, R> call, A args, Duration deadline) {
        Mono<R> reply = Mono.<Object>create(sink -> {
            if (!isOpen()) {
                sink.error(AppRpcException.disconnected(call.method(), reason()));
                return;
            }
            long n = seq.getAndIncrement();
            pending.put(n, new Pending(call, sink));
            sink.onCancel(() -> abandon(n));
            // Encoding and writing happen together on the event loop, so the gob stream's bytes (type
            // definitions first) go out in the order they were encoded, whichever thread called.
            connection.channel().eventLoop().execute(() -> {
                if (!pending.containsKey(n)) {
                    return;
                }
                byte[] bytes;
                try {
                    bytes = encoder.call(service, call, n, args);
                } catch (RuntimeException e) {
                    pending.remove(n);
                    sink.error(e);
                    return;
                }
                connection.channel().writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(f -> {
                    if (!f.isSuccess()) {
                        close("write failed: " + f.cause().getMessage());
                    }
                });
            });
            if (!isOpen()) {
                failAll(reason()); // closed between the check and the put: nobody else will answer it
            }
        }).map(r -> (R) r);
        return deadline == null ? reply
                : reply.timeout(deadline, Mono.error(() -> AppRpcException.timedOut(call.method(), deadline)));
    }

    private void abandon(long n) {
        if (pending.remove(n) != null) {
            if (abandoned.size() >= ABANDONED_LIMIT) {
                abandoned.clear(); // a visor that never answers is dropped by its deadline long before this
            }
            abandoned.add(n);
        }
    }

    private void onReply(Object message) {
        RpcResponse response = (RpcResponse) message;
        Pending p = pending.remove(response.seq());
        if (p == null) {
            if (!abandoned.remove(response.seq())) {
                close("reply to call " + response.seq() + ", which was never made");
            }
            return;
        }
        if (response.isError()) {
            p.sink().error(AppRpcException.refused(p.call().method(), response.error()));
            return;
        }
        Object value;
        try {
            value = p.call().decodeReply(response.reply());
        } catch (RuntimeException e) {
            AppRpcException bad = AppRpcException.badReply(p.call().method(), e);
            p.sink().error(bad);
            close(bad.getMessage());
            return;
        }
        p.sink().success(value);
    }

    private void failAll(String why) {
        for (Long n : List.copyOf(pending.keySet())) {
            Pending p = pending.remove(n);
            if (p != null) {
                p.sink().error(AppRpcException.disconnected(p.call().method(), why));
            }
        }
    }

    public boolean isOpen() {
        return !connection.isDisposed() && connection.channel().isActive();
    }

    /** Why the connection closed, once it has. */
    public String reason() {
        String r = closeReason.get();
        return r != null ? r : isOpen() ? "open" : "closed by the visor";
    }

    /** Completes when the connection is closed, from either side. */
    public Mono<Void> onClose() {
        return connection.onDispose();
    }

    public void close() {
        close("closed by this node");
    }

    void close(String why) {
        if (closeReason.compareAndSet(null, why) && !"closed by this node".equals(why)) {
            log.warn("dropping the connection to the visor at {}: {}", connection.channel().remoteAddress(), why);
        }
        connection.dispose();
    }

    /** Whole replies out of the byte stream; the gob decoder keeps the type definitions the visor sent. */
    private static final class ReplyDecoder extends ByteToMessageDecoder {

        private final RpcDecoder rpc = new RpcDecoder();

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            ByteBuffer view = in.nioBuffer();
            int start = view.position();
            try {
                for (Optional<RpcResponse> r = rpc.nextResponse(view); r.isPresent(); r = rpc.nextResponse(view)) {
                    out.add(r.get());
                }
            } finally {
                in.skipBytes(view.position() - start);
            }
        }
    }

    /** Bytes we cannot decode end this connection at once; nothing after them is read. */
    private final class Guard extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable root = cause.getCause() != null ? cause.getCause() : cause;
            close("unreadable bytes from the visor: " + root.getMessage());
        }
    }
}
