package io.skychat.transport.dmsg;

import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.PeerKey;
import io.skychat.core.TransportKind;
import io.skychat.crypto.NoiseCipher;
import io.skychat.transport.codec.ChatStreamLink;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A chat link over one dmsg stream: the chat codec ({@link ChatStreamLink}) over a {@link DmsgByteStream}. A
 * chat frame's header and payload may come in separate noise frames, and a noise frame in several yamux
 * frames; both are reassembled, and a frame either layer refuses resets the stream and is counted.
 */
final class DmsgStreamLink implements ChatLink {

    private final DmsgByteStream stream;
    private final ChatStreamLink chat;

    DmsgStreamLink(DmsgByteStream stream) {
        this.stream = stream;
        this.chat = new ChatStreamLink(stream, stream::protocolError);
    }

    DmsgStreamLink(YamuxConnection.Stream stream, NoiseCipher cipher, PeerKey peer, int localPort, PeerKey server,
                   DmsgStats stats, Runnable onGone) {
        this(new DmsgByteStream(stream, cipher, peer, io.skychat.core.Transport.CHAT_PORT, localPort, server, stats, onGone));
    }

    /** Takes over the stream, with bytes that came behind the handshake object. Event loop only. */
    void attach(byte[] early, int earlyConsumed) {
        stream.attach(early, earlyConsumed);
    }

    @Override
    public PeerKey peer() {
        return chat.peer();
    }

    @Override
    public TransportKind kind() {
        return TransportKind.DMSG;
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
        return "dmsg link to " + stream.peer() + " (" + stream + ")";
    }
}
