package io.skychat.transport.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.skychat.core.ByteStream;
import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.core.TransportKind;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The chat protocol over a {@link ByteStream}: chat frames ({@code uint32 length ‖ envelope}) reassembled
 * from chunks in any split, one envelope per frame. Inbound demand is passed down one chunk at a time, so the
 * stream's back-pressure reaches the sender. A frame the codec refuses is handed to {@code protocolError},
 * which ends the stream with the error the reader then sees.
 */
public final class ChatStreamLink implements ChatLink {

    private final ByteStream stream;
    private final Consumer<String> protocolError;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private byte[] buf = new byte[0];
    private int len;
    private boolean broken;

    /**
     * @param protocolError ends {@code stream} with a protocol error saying why (the stream's network knows
     *                      how to count and reset it)
     */
    public ChatStreamLink(ByteStream stream, Consumer<String> protocolError) {
        this.stream = stream;
        this.protocolError = protocolError;
    }

    public ByteStream stream() {
        return stream;
    }

    @Override
    public PeerKey peer() {
        return stream.peer();
    }

    @Override
    public TransportKind kind() {
        return stream.kind();
    }

    @Override
    public Flux<Envelope> inbound() {
        if (!subscribed.compareAndSet(false, true)) {
            return Flux.error(new IllegalStateException("a link's inbound stream can be subscribed once"));
        }
        return stream.inbound().concatMapIterable(this::decode, 1);
    }

    /** Called serially, in stream order. */
    private List<Envelope> decode(byte[] chunk) {
        if (broken) {
            return List.of();
        }
        if (buf.length - len < chunk.length) {
            buf = Arrays.copyOf(buf, Math.max(len + chunk.length, Math.max(256, buf.length * 2)));
        }
        System.arraycopy(chunk, 0, buf, len, chunk.length);
        len += chunk.length;
        List<Envelope> out = new ArrayList<>(1);
        ByteBuffer view = ByteBuffer.wrap(buf, 0, len);
        try {
            byte[] payload;
            while ((payload = ChatFrames.tryDecode(view)) != null) {
                out.add(EnvelopeCodec.decode(payload));
            }
        } catch (FrameException e) {
            broken = true;
            protocolError.accept(e.getMessage()); // the stream's error follows this (empty) batch
            return List.of();
        }
        int used = view.position();
        System.arraycopy(buf, used, buf, 0, len - used);
        len -= used;
        return out;
    }

    @Override
    public Mono<Void> send(Envelope envelope) {
        return Mono.defer(() -> {
            byte[] frame;
            try {
                frame = ChatFrames.encode(EnvelopeCodec.encode(envelope));
            } catch (SkychatException e) {
                return Mono.error(e); // e.g. too large: not a network failure, so no redial
            }
            return stream.write(frame);
        });
    }

    @Override
    public Mono<Void> onClose() {
        return stream.onClose();
    }

    @Override
    public boolean isOpen() {
        return stream.isOpen();
    }

    @Override
    public void close() {
        stream.close();
    }

    @Override
    public String toString() {
        return "chat over " + stream;
    }
}
