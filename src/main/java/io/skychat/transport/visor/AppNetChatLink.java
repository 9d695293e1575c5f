package io.skychat.transport.visor;

import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.PeerKey;
import io.skychat.core.Transport;
import io.skychat.core.TransportKind;
import io.skychat.transport.codec.ChatStreamLink;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A chat link over one visor connection id: the chat codec ({@link ChatStreamLink}) over an
 * {@link AppNetByteStream}. Demand-driven: the next Read is asked for only when the envelopes of the last one
 * were taken.
 */
final class AppNetChatLink implements ChatLink {

    private final AppNetByteStream stream;
    private final ChatStreamLink chat;

    AppNetChatLink(AppNetByteStream stream, AppNetStats stats) {
        this.stream = stream;
        this.chat = new ChatStreamLink(stream, why -> {
            stats.chatFramesRejected.incrementAndGet();
            stream.protocolError(why);
        });
    }

    AppNetChatLink(AppRpcClient rpc, int connId, PeerKey peer, TransportKind kind, AppNetStats stats) {
        this(new AppNetByteStream(rpc, connId, peer, Transport.CHAT_PORT, kind), stats);
    }

    @Override
    public PeerKey peer() {
        return chat.peer();
    }

    @Override
    public TransportKind kind() {
        return chat.kind();
    }

    @Override
    public Flux<Envelope> inbound() {
        return chat.inbound();
    }

    @Override
    public Mono<Void> send(Envelope envelope) {
        return chat.send(envelope);
    }

    @Override
    public Mono<Void> onClose() {
        return chat.onClose();
    }

    @Override
    public boolean isOpen() {
        return chat.isOpen();
    }

    @Override
    public void close() {
        chat.close();
    }

    @Override
    public String toString() {
        return stream.kind() + " link to " + stream.peer() + " (visor conn " + stream.connId() + ")";
    }
}
