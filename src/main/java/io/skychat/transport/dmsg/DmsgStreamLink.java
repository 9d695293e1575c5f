package io.skychat.transport.dmsg;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

import io.netty.channel.EventLoop;
import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.core.TransportException;
import io.skychat.core.TransportKind;
import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseException;
import io.skychat.crypto.NoiseFraming;
import io.skychat.transport.codec.ChatFrames;
import io.skychat.transport.codec.EnvelopeCodec;
import io.skychat.transport.codec.FrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A chat link over one dmsg stream: Noise KK transport frames end to end (the server only relays them), chat
 * frames inside. A chat frame's header and payload may come in separate noise frames, and a noise frame in
 * several yamux frames; both are reassembled. The yamux window is granted back only as the chat service takes
 * envelopes, so a slow reader slows the sender instead of filling memory. Stream state lives on the session's
 * event loop; {@link #send} hops onto it, which also serializes writes.
 */
final class DmsgStreamLink implements ChatLink, YamuxConnection.StreamHandler {

    private static final Logger log = LoggerFactory.getLogger(DmsgStreamLink.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final YamuxConnection.Stream stream;
    private final EventLoop loop;
    private final NoiseCipher cipher;
    private final PeerKey peer;
    private final int localPort;
    private final PeerKey server;
    private final DmsgStats stats;
    private final Runnable onGone;
    private final ArrayDeque<Envelope> ready = new ArrayDeque<>();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private byte[] noiseBuf = new byte[0];
    private int noiseLen;
    private byte[] chatBuf = new byte[0];
    private int chatLen;
    private long unconsumed;
    private FluxSink<Envelope> sink;
    private long requested;
    private boolean ended;
    private Throwable failure;
    private volatile boolean open = true;

    DmsgStreamLink(YamuxConnection.Stream stream, NoiseCipher cipher, PeerKey peer, int localPort, PeerKey server,
                   DmsgStats stats, Runnable onGone) {
        this.stream = stream;
        this.loop = stream.eventLoop();
        this.cipher = cipher;
        this.peer = peer;
        this.localPort = localPort;
        this.server = server;
        this.stats = stats;
        this.onGone = onGone;
    }

    /** Takes over the stream, with bytes that came behind the handshake object. Event loop only. */
    void attach(byte[] early, int earlyConsumed) {
        stream.handler(this);
        unconsumed += earlyConsumed;
        if (early.length > 0) {
            take(early);
        }
    }

    @Override
    public PeerKey peer() {
        return peer;
    }

    @Override
    public TransportKind kind() {
        return TransportKind.DMSG;
    }

    @Override
    public Flux<Envelope> inbound() {
        return Flux.<Envelope>create(s -> loop.execute(() -> {
            if (sink != null) {
                s.error(new IllegalStateException("a link's inbound stream can be subscribed once"));
                return;
            }
            sink = s;
            s.onRequest(n -> loop.execute(() -> {
                requested = Long.MAX_VALUE - requested < n ? Long.MAX_VALUE : requested + n;
                drain();
            }));
            s.onDispose(() -> loop.execute(this::closeNow));
            drain();
        }), FluxSink.OverflowStrategy.ERROR); // we emit only what was requested
    }

    @Override
    public Mono<Void> send(Envelope envelope) {
        return Mono.<Void>create(s -> loop.execute(() -> {
            if (ended || stream.isGone()) {
                s.error(TransportException.linkClosed(peer, kind()));
                return;
            }
            byte[] wire;
            try {
                byte[] frame = ChatFrames.encode(EnvelopeCodec.encode(envelope));
                List<byte[]> frames = NoiseFraming.sealAll(cipher, frame);
                int total = frames.stream().mapToInt(f -> f.length).sum();
                wire = new byte[total];
                int at = 0;
                for (byte[] f : frames) {
                    System.arraycopy(f, 0, wire, at, f.length);
                    at += f.length;
                }
            } catch (SkychatException e) {
                s.error(e); // e.g. too large: not a network failure, so no redial
                return;
            }
            stream.write(wire).addListener(f -> {
                if (f.isSuccess()) {
                    s.success();
                } else {
                    s.error(TransportException.unreachable(peer, kind(), "write failed: " + f.cause(), f.cause()));
                }
            });
        })).timeout(WRITE_TIMEOUT, Mono.defer(() -> {
            close();
            return Mono.error(TransportException.unreachable(peer, kind(), "write not taken within "
                    + WRITE_TIMEOUT.toSeconds() + " s", new TimeoutException()));
        }));
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        loop.execute(this::closeNow);
    }

    private void closeNow() {
        if (!ended) {
            stream.close();
            end(null);
        }
    }

    // --- stream events, on the event loop

    @Override
    public void data(YamuxConnection.Stream s, byte[] data) {
        unconsumed += data.length;
        take(data);
    }

    @Override
    public void remoteClosed(YamuxConnection.Stream s) {
        stream.close();
        end(null);
    }

    @Override
    public void gone(YamuxConnection.Stream s, String why) {
        log.debug("dmsg link to {} ended: {}", peer, why);
        end(null);
    }

    private void take(byte[] data) {
        if (ended) {
            return;
        }
        noiseBuf = append(noiseBuf, noiseLen, data);
        noiseLen += data.length;
        int at = 0;
        try {
            while (noiseLen - at >= NoiseFraming.PREFIX_LENGTH) {
                int length = NoiseFraming.readLength(noiseBuf, at);
                if (noiseLen - at - NoiseFraming.PREFIX_LENGTH < length) {
                    break;
                }
                byte[] body = Arrays.copyOfRange(noiseBuf, at + NoiseFraming.PREFIX_LENGTH, at + NoiseFraming.PREFIX_LENGTH + length);
                at += NoiseFraming.PREFIX_LENGTH + length;
                byte[] plain = cipher.open(body);
                chatBuf = append(chatBuf, chatLen, plain);
                chatLen += plain.length;
                decodeChatFrames();
            }
        } catch (NoiseException | FrameException e) {
            stats.framesRejected.incrementAndGet();
            log.info("dmsg link to {} dropped: {}", peer, e.getMessage());
            end(TransportException.protocol(peer, kind(), e.getMessage())); // before the reset reports the stream gone
            stream.reset();
            return;
        }
        System.arraycopy(noiseBuf, at, noiseBuf, 0, noiseLen - at);
        noiseLen -= at;
        drain();
    }

    private void decodeChatFrames() {
        ByteBuffer view = ByteBuffer.wrap(chatBuf, 0, chatLen);
        byte[] payload;
        while ((payload = ChatFrames.tryDecode(view)) != null) {
            ready.add(EnvelopeCodec.decode(payload));
        }
        int used = view.position();
        System.arraycopy(chatBuf, used, chatBuf, 0, chatLen - used);
        chatLen -= used;
    }

    private void drain() {
        if (sink == null) {
            return;
        }
        while (requested > 0 && !ready.isEmpty()) {
            requested--;
            sink.next(ready.poll());
        }
        if (ready.isEmpty() && unconsumed > 0 && !ended) {
            long n = unconsumed;
            unconsumed = 0;
            stream.consumed(n);
        }
        if (ended && ready.isEmpty()) {
            if (failure != null) {
                sink.error(failure);
            } else {
                sink.complete();
            }
        }
    }

    private void end(Throwable error) {
        if (ended) {
            return;
        }
        ended = true;
        open = false;
        failure = error;
        if (error != null) {
            ready.clear();
        }
        drain();
        onGone.run();
        closed.tryEmitEmpty();
    }

    private static byte[] append(byte[] buf, int len, byte[] data) {
        if (buf.length - len >= data.length) {
            System.arraycopy(data, 0, buf, len, data.length);
            return buf;
        }
        byte[] grown = Arrays.copyOf(buf, Math.max(len + data.length, Math.max(256, buf.length * 2)));
        System.arraycopy(data, 0, grown, len, data.length);
        return grown;
    }

    @Override
    public String toString() {
        return "dmsg link to " + peer + " (local port " + localPort + ", via " + server + ")";
    }
}
