package io.skychat.transport.tcp;

import io.netty.handler.codec.EncoderException;
import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.core.TransportException;
import io.skychat.core.TransportKind;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/** A chat link over one Noise-XK TCP connection. Netty serializes writes on the channel's event loop. */
final class TcpChatLink implements ChatLink {

    private final Connection connection;
    private final PeerKey peer;

    TcpChatLink(Connection connection, PeerKey peer) {
        this.connection = connection;
        this.peer = peer;
    }

    @Override
    public PeerKey peer() {
        return peer;
    }

    @Override
    public TransportKind kind() {
        return TransportKind.TCP_DIRECT;
    }

    @Override
    public Flux<Envelope> inbound() {
        return connection.inbound().receiveObject()
                .cast(Envelope.class)
                .doOnError(e -> connection.dispose());
    }

    @Override
    public Mono<Void> send(Envelope envelope) {
        if (connection.isDisposed()) {
            return Mono.error(TransportException.linkClosed(peer, kind()));
        }
        return Mono.create(sink -> connection.channel().writeAndFlush(envelope).addListener(f -> {
            if (f.isSuccess()) {
                sink.success();
            } else {
                sink.error(translate(f.cause()));
            }
        }));
    }

    private Throwable translate(Throwable cause) {
        Throwable root = cause instanceof EncoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof SkychatException) {
            return root; // e.g. message too large: not a network failure, so no redial
        }
        return TransportException.unreachable(peer, kind(), String.valueOf(root.getMessage()), root);
    }

    @Override
    public Mono<Void> onClose() {
        return connection.onDispose();
    }

    @Override
    public boolean isOpen() {
        return !connection.isDisposed() && connection.channel().isActive();
    }

    @Override
    public void close() {
        connection.dispose();
    }

    @Override
    public String toString() {
        return "tcp-direct link to " + peer + " (" + connection.channel().remoteAddress() + ")";
    }
}
