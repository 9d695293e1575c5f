package io.skychat.transport.visor;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.core.TransportException;
import io.skychat.core.TransportKind;
import io.skychat.transport.codec.ChatFrames;
import io.skychat.transport.codec.EnvelopeCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * A chat link over one visor connection id: inbound is a loop of Read calls, each reply one chunk of the
 * peer's bytes, reassembled into chat frames; outbound frames are Write calls, one at a time per link.
 */
final class AppNetChatLink implements ChatLink {

    private static final Logger log = LoggerFactory.getLogger(AppNetChatLink.class);
    /** What upstream skychat asks for per Read. */
    static final int READ_BUFFER = 32768;
    private static final Duration EMIT_PATIENCE = Duration.ofMillis(200);

    private record Write(byte[] frame, MonoSink<Void> done) {
    }

    private final AppRpcClient rpc;
    private final int connId;
    private final PeerKey peer;
    private final TransportKind kind;
    private final AppNetStats stats;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Sinks.Empty<Void> closed = Sinks.empty();
    // Unbounded, but the outbox keeps at most its window of messages in flight per peer.
    private final Sinks.Many<Write> writes = Sinks.many().unicast().onBackpressureBuffer();
    private ByteBuffer partial = ByteBuffer.allocate(0); // touched only by the read loop, one Read at a time

    AppNetChatLink(AppRpcClient rpc, int connId, PeerKey peer, TransportKind kind, AppNetStats stats) {
        this.rpc = rpc;
        this.connId = connId;
        this.peer = peer;
        this.kind = kind;
        this.stats = stats;
        writes.asFlux().concatMap(w -> write(w.frame())
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
    public TransportKind kind() {
        return kind;
    }

    /** Demand-driven: the next Read is asked for only when the envelopes of the last one were taken. */
    @Override
    public Flux<Envelope> inbound() {
        return Mono.defer(this::readOnce).repeat(open::get).concatMapIterable(l -> l);
    }

    private Mono<List<Envelope>> readOnce() {
        if (!open.get()) {
            return Mono.empty();
        }
        return rpc.call(AppCall.READ, new ReadReq(connId, READ_BUFFER), null)
                .flatMap(resp -> {
                    if (resp.error().isPresent()) {
                        log.debug("{} link to {} ended: {}", kind, peer, resp.error().get().text());
                        close();
                        return Mono.empty();
                    }
                    try {
                        return Mono.just(frames(resp.data()));
                    } catch (SkychatException e) {
                        stats.chatFramesRejected.incrementAndGet();
                        close();
                        return Mono.error(TransportException.protocol(peer, kind, e.getMessage()));
                    }
                })
                .onErrorResume(AppRpcException.class, e -> {
                    log.debug("{} link to {} ended: {}", kind, peer, e.getMessage());
                    close();
                    return Mono.empty();
                });
    }

    /** A chunk may end inside a frame or hold several: whole frames out, the rest kept for the next chunk. */
    private List<Envelope> frames(byte[] chunk) {
        ByteBuffer in = ByteBuffer.allocate(partial.remaining() + chunk.length).put(partial).put(chunk).flip();
        List<Envelope> out = new ArrayList<>(1);
        for (byte[] payload = ChatFrames.tryDecode(in); payload != null; payload = ChatFrames.tryDecode(in)) {
            out.add(EnvelopeCodec.decode(payload));
        }
        partial = in.slice();
        return out;
    }

    @Override
    public Mono<Void> send(Envelope envelope) {
        byte[] frame;
        try {
            frame = ChatFrames.encode(EnvelopeCodec.encode(envelope));
        } catch (SkychatException e) {
            return Mono.error(e); // too large: not a network failure, so no redial
        }
        return Mono.create(sink -> {
            if (!open.get()) {
                sink.error(TransportException.linkClosed(peer, kind));
                return;
            }
            try {
                writes.emitNext(new Write(frame, sink), Sinks.EmitFailureHandler.busyLooping(EMIT_PATIENCE));
            } catch (Sinks.EmissionException e) {
                sink.error(TransportException.linkClosed(peer, kind));
            }
        });
    }

    private Mono<Void> write(byte[] frame) {
        if (!open.get()) {
            return Mono.error(TransportException.linkClosed(peer, kind));
        }
        return rpc.call(AppCall.WRITE, new WriteReq(connId, frame))
                .onErrorMap(AppRpcException.class, e -> TransportException.unreachable(peer, kind, e.getMessage(), e))
                .flatMap(resp -> {
                    if (resp.error().isPresent() || resp.n() != frame.length) {
                        String why = resp.error().map(RpcIoError::text).orElse("wrote " + resp.n() + " of "
                                + frame.length + " bytes");
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
        return kind + " link to " + peer + " (visor conn " + connId + ")";
    }
}
