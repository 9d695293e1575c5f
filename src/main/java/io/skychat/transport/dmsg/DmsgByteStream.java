package io.skychat.transport.dmsg;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

import io.netty.channel.EventLoop;
import io.skychat.core.ByteStream;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.core.TransportException;
import io.skychat.core.TransportKind;
import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseException;
import io.skychat.crypto.NoiseFraming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One dmsg stream after its handshake: Noise KK transport frames end to end (the server only relays them),
 * opened into plaintext chunks, one per noise frame; a noise frame split over several yamux frames is
 * reassembled. The yamux window is granted back only once everything opened so far was handed to the reader,
 * so a slow reader slows the sender instead of filling memory. State lives on the session's event loop;
 * {@link #write} hops onto it, which also keeps writes in order.
 */
final class DmsgByteStream implements ByteStream, YamuxConnection.StreamHandler {

    private static final Logger log = LoggerFactory.getLogger(DmsgByteStream.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final YamuxConnection.Stream stream;
    private final EventLoop loop;
    private final NoiseCipher cipher;
    private final PeerKey peer;
    private final int port;
    private final int localPort;
    private final PeerKey server;
    private final DmsgStats stats;
    private final Runnable onGone;
    private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private byte[] noiseBuf = new byte[0];
    private int noiseLen;
    private long unconsumed;
    private FluxSink<byte[]> sink;
    private long requested;
    private boolean ended;
    private Throwable failure;
    private volatile boolean open = true;

    /**
     * @param port      the stream's port on the listening side
     * @param localPort our end's port (ephemeral when we dialled, the listening port when we accepted)
     */
    DmsgByteStream(YamuxConnection.Stream stream, NoiseCipher cipher, PeerKey peer, int port, int localPort,
                   PeerKey server, DmsgStats stats, Runnable onGone) {
        this.stream = stream;
        this.loop = stream.eventLoop();
        this.cipher = cipher;
        this.peer = peer;
        this.port = port;
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
    public int port() {
        return port;
    }

    @Override
    public TransportKind kind() {
        return TransportKind.DMSG;
    }

    DmsgStats stats() {
        return stats;
    }

    @Override
    public Flux<byte[]> inbound() {
        return Flux.<byte[]>create(s -> loop.execute(() -> {
            if (sink != null) {
                s.error(new IllegalStateException("a stream's inbound side can be subscribed once"));
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
    public Mono<Void> write(byte[] bytes) {
        return Mono.<Void>create(s -> loop.execute(() -> {
            if (ended || stream.isGone()) {
                s.error(TransportException.linkClosed(peer, kind()));
                return;
            }
            byte[] wire;
            try {
                List<byte[]> frames = NoiseFraming.sealAll(cipher, bytes);
                int total = frames.stream().mapToInt(f -> f.length).sum();
                wire = new byte[total];
                int at = 0;
                for (byte[] f : frames) {
                    System.arraycopy(f, 0, wire, at, f.length);
                    at += f.length;
                }
            } catch (SkychatException e) {
                s.error(e); // not a network failure, so no redial
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
        log.debug("dmsg stream with {} ended: {}", peer, why);
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
                if (plain.length > 0) {
                    ready.add(plain);
                }
            }
        } catch (NoiseException e) {
            protocolError(e.getMessage());
            return;
        }
        System.arraycopy(noiseBuf, at, noiseBuf, 0, noiseLen - at);
        noiseLen -= at;
        drain();
    }

    /** The peer broke the protocol above or below us: counted, the stream reset, the reader told why. */
    void protocolError(String why) {
        if (ended) {
            return;
        }
        stats.framesRejected.incrementAndGet();
        log.info("dmsg stream with {} dropped: {}", peer, why);
        end(TransportException.protocol(peer, kind(), why)); // before the reset reports the stream gone
        stream.reset();
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
        return "dmsg stream with " + peer + " (port " + port + ", local port " + localPort + ", via " + server + ")";
    }
}
