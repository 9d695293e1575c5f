package io.skychat.transport.visor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.skychat.core.ByteStream;
import io.skychat.core.PeerKey;
import io.skychat.core.TransportException;
import io.skychat.core.TransportKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * A byte stream over one visor connection id: inbound is a loop of Read calls, each reply one chunk of the
 * peer's bytes, the next Read asked for only when the last chunk was taken; outbound are Write calls, one at
 * a time per stream, in order.
 */
final class AppNetByteStream implements ByteStream {

    private static final Logger log = LoggerFactory.getLogger(AppNetByteStream.class);
    /** What upstream skychat asks for per Read. */
    static final int READ_BUFFER = 32768;
    private static final Duration EMIT_PATIENCE = Duration.ofMillis(200);

    private record Write(byte[] bytes, MonoSink<Void> done) {
    }

    private final AppRpcClient rpc;
    private final int connId;
    private final PeerKey peer;
    private final int port;
    private final TransportKind kind;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Sinks.Empty<Void> closed = Sinks.empty();
    // Unbounded, but the outbox keeps at most its window of messages in flight per peer.
    private final Sinks.Many<Write> writes = Sinks.many().unicast().onBackpressureBuffer();
    private volatile Throwable failure;

    AppNetByteStream(AppRpcClient rpc, int connId, PeerKey peer, int port, TransportKind kind) {
        this.rpc = rpc;
        this.connId = connId;
        this.peer = peer;
        this.port = port;
        this.kind = kind;
        writes.asFlux().concatMap(w -> writeNow(w.bytes())
                        .doOnSuccess(v -> w.done().success())
                        .onErrorResume(e -> {
                            w.done().error(e);
                            return Mono.empty();
                        }), 1)
                .subscribe();
        rpc.onClose().subscribe(null, e -> close(), this::close);
    }

    @Override
    public PeerKey peer() {
        return peer;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public TransportKind kind() {
        return kind;
    }

    int connId() {
        return connId;
    }

    @Override
    public Flux<byte[]> inbound() {
        return Mono.defer(this::readOnce).repeat(open::get)
                .concatWith(Mono.defer(() -> failure == null ? Mono.empty() : Mono.error(failure)));
    }

    private Mono<byte[]> readOnce() {
        if (!open.get()) {
            return Mono.empty();
        }
        return rpc.call(AppCall.READ, new ReadReq(connId, READ_BUFFER), null)
                .flatMap(resp -> {
                    if (resp.error().isPresent()) {
                        log.debug("{} stream with {} ended: {}", kind, peer, resp.error().get().text());
                        close();
                        return Mono.empty();
                    }
                    return Mono.just(resp.data());
                })
                .onErrorResume(AppRpcException.class, e -> {
                    log.debug("{} stream with {} ended: {}", kind, peer, e.getMessage());
                    close();
                    return Mono.empty();
                });
    }

    /** The peer broke the protocol on top: the stream is closed and its reader ends with that error. */
    void protocolError(String why) {
        failure = TransportException.protocol(peer, kind, why);
        close();
    }

    @Override
    public Mono<Void> write(byte[] bytes) {
        return Mono.create(sink -> {
            if (!open.get()) {
                sink.error(TransportException.linkClosed(peer, kind));
                return;
            }
            try {
                writes.emitNext(new Write(bytes, sink), Sinks.EmitFailureHandler.busyLooping(EMIT_PATIENCE));
            } catch (Sinks.EmissionException e) {
                sink.error(TransportException.linkClosed(peer, kind));
            }
        });
    }

    private Mono<Void> writeNow(byte[] bytes) {
        if (!open.get()) {
            return Mono.error(TransportException.linkClosed(peer, kind));
        }
        return rpc.call(AppCall.WRITE, new WriteReq(connId, bytes))
                .onErrorMap(AppRpcException.class, e -> TransportException.unreachable(peer, kind, e.getMessage(), e))
                .flatMap(resp -> {
                    if (resp.error().isPresent() || resp.n() != bytes.length) {
                        String why = resp.error().map(RpcIoError::text).orElse("wrote " + resp.n() + " of "
                                + bytes.length + " bytes");
                        close();
                        return Mono.error(TransportException.unreachable(peer, kind, "write failed: " + why, null));
                    }
                    return Mono.<Void>empty();
                });
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public boolean isOpen() {
        return open.get() && rpc.isOpen();
    }

    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        if (rpc.isOpen()) {
            rpc.call(AppCall.CLOSE_CONN, connId).subscribe(null, e -> log.debug("CloseConn {}: {}", connId, e.getMessage()));
        }
        try {
            writes.emitComplete(Sinks.EmitFailureHandler.busyLooping(EMIT_PATIENCE));
        } catch (Sinks.EmissionException e) {
            log.debug("{}: write queue already ended", this);
        }
        closed.tryEmitEmpty();
    }

    @Override
    public String toString() {
        return kind + " stream with " + peer + " (port " + port + ", visor conn " + connId + ")";
    }
}
