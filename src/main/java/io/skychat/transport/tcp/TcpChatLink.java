package io.skychat.transport.tcp;

import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.Channel;
import io.netty.handler.codec.EncoderException;
import io.netty.util.internal.PlatformDependent;
import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.core.TransportException;
import io.skychat.core.TransportKind;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.Connection;

/**
 * A chat link over one Noise-XK TCP connection. Sends are queued and written by one task on the channel's
 * event loop, which writes everything queued by then and flushes once: a burst of acks released by one
 * group commit leaves in one system call instead of one each, and the store thread hands the loop one task,
 * not one per envelope. Envelopes leave in the order {@link #send} was called.
 */
final class TcpChatLink implements ChatLink {

    private final Connection connection;
    private final PeerKey peer;
    /** Envelopes handed to {@link #send} and not yet written, in call order. */
    private final Queue<Outgoing> outgoing = PlatformDependent.newMpscQueue();
    private final AtomicBoolean writeScheduled = new AtomicBoolean();

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
        return Mono.create(sink -> {
            outgoing.offer(new Outgoing(envelope, sink));
            if (writeScheduled.compareAndSet(false, true)) {
                try {
                    connection.channel().eventLoop().execute(this::writeQueued);
                } catch (RejectedExecutionException e) {
                    writeScheduled.set(false);
                    failQueued(TransportException.linkClosed(peer, kind()));
                }
            }
        });
    }

    /** On the event loop: writes what is queued, then flushes once. */
    private void writeQueued() {
        writeScheduled.set(false); // an envelope queued from now on schedules another run
        Channel channel = connection.channel();
        boolean wrote = false;
        Outgoing next;
        while ((next = outgoing.poll()) != null) {
            MonoSink<Void> sink = next.sink();
            channel.write(next.envelope()).addListener(f -> {
                if (f.isSuccess()) {
                    sink.success();
                } else {
                    sink.error(translate(f.cause()));
                }
            });
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void failQueued(Throwable error) {
        Outgoing next;
        while ((next = outgoing.poll()) != null) {
            next.sink().error(error);
        }
    }

    private record Outgoing(Envelope envelope, MonoSink<Void> sink) {
    }

    private Throwable translate(Throwable cause) {
        Throwable root = cause instanceof EncoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof SkychatException) {
            return root; // e.g. message too large: not a network failure, so no redial
        }
        return TransportException.unreachable(peer, kind(), String.valueOf(root.getMessage()), root);
    }

    @Override
    public java.util.concurrent.Executor executor() {
        return connection.channel().eventLoop();
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
