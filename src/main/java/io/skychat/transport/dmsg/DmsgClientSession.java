package io.skychat.transport.dmsg;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.skychat.core.PeerKey;
import io.skychat.core.TransportException;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseException;
import io.skychat.crypto.NoiseHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * A session with one dmsg server, from the client's side: streams we open to reach a peer (we send the
 * signed request, the peer's answer comes back through the server) and streams the server opens when a
 * peer dials us. The XK session cipher seals the handshake objects of every stream; it and the yamux state
 * are used only on the session's event loop. Signatures and Noise KK steps run on the {@code crypto} executor.
 */
final class DmsgClientSession implements YamuxConnection.Events {

    private static final Logger log = LoggerFactory.getLogger(DmsgClientSession.class);

    private final KeyPair identity;
    private final PeerKey server;
    private final NoiseCipher cipher;
    private final Executor crypto;
    private final DmsgStats stats;
    private final EphemeralPorts ports;
    private final Duration handshakeTimeout;
    private final Listeners listeners;
    private final Clock clock = Clock.systemUTC();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private YamuxConnection mux;
    private Channel channel;

    DmsgClientSession(KeyPair identity, PeerKey server, NoiseCipher cipher, Executor crypto, DmsgStats stats,
                      EphemeralPorts ports, Duration handshakeTimeout, Listeners listeners) {
        this.identity = identity;
        this.server = server;
        this.cipher = cipher;
        this.crypto = crypto;
        this.stats = stats;
        this.ports = ports;
        this.handshakeTimeout = handshakeTimeout;
        this.listeners = listeners;
    }

    /** The ports we listen on, and where streams peers open to them go. */
    interface Listeners {
        boolean listens(int port);

        /** A stream a peer opened to a port we listen on, handshake done. Event loop. */
        void accepted(DmsgByteStream stream);
    }

    void attach(YamuxConnection mux) {
        this.mux = mux;
        this.channel = mux.channel();
    }

    PeerKey server() {
        return server;
    }

    Mono<Void> onClose() {
        return closed.asMono();
    }

    boolean isOpen() {
        return channel != null && channel.isActive();
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void closed(String reason, YamuxException cause) {
        if (cause != null) {
            stats.sessionsDroppedForProtocol.incrementAndGet();
            log.warn("dmsg session with {} dropped: {}", server, reason);
        } else {
            log.info("dmsg session with {} ended: {}", server, reason);
        }
        cipher.destroy();
        closed.tryEmitEmpty();
    }

    // --- dialling: our stream, our request

    /** Opens a stream through this server to {@code peer:port} and runs the stream handshake. */
    Mono<DmsgByteStream> dial(PeerKey peer, int port) {
        return Mono.<DmsgByteStream>create(sink -> channel.eventLoop().execute(() -> {
            int localPort;
            try {
                localPort = ports.reserve();
            } catch (IllegalStateException e) {
                sink.error(TransportException.unreachable(peer, TransportKind.DMSG, e.getMessage(), e));
                return;
            }
            Dial d = new Dial(peer, port, localPort, sink);
            try {
                d.stream = mux.open(d);
            } catch (YamuxException e) {
                ports.release(localPort);
                sink.error(TransportException.unreachable(peer, TransportKind.DMSG, e.getMessage(), e));
                return;
            }
            d.start();
        }));
    }

    /** Collects one session-sealed object at the start of a stream, then the bytes behind it. */
    private abstract class Handshake implements YamuxConnection.StreamHandler {
        YamuxConnection.Stream stream;
        byte[] buf = new byte[0];
        int len;
        long received;
        boolean gotObject;
        boolean done;
        ScheduledFuture<?> deadline;

        void armDeadline(String what) {
            deadline = channel.eventLoop().schedule(() -> {
                if (!done) {
                    fail(what + " timed out after " + handshakeTimeout.toMillis() + " ms", null);
                    stream.reset();
                }
            }, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void data(YamuxConnection.Stream s, byte[] data) {
            received += data.length;
            byte[] grown = Arrays.copyOf(buf, len + data.length);
            System.arraycopy(data, 0, grown, len, data.length);
            buf = grown;
            len += data.length;
            if (gotObject || done) {
                return; // early stream data: kept for the link
            }
            SessionFrames.Opened opened;
            try {
                opened = SessionFrames.open(cipher, buf, 0, len);
            } catch (SessionFrameException e) {
                fail("unreadable handshake object: " + e.getMessage(), null);
                stream.reset();
                return;
            }
            if (opened != null) {
                gotObject = true;
                byte[] rest = Arrays.copyOfRange(buf, opened.consumed(), len);
                buf = rest;
                len = rest.length;
                object(opened.object());
            }
        }

        @Override
        public void remoteClosed(YamuxConnection.Stream s) {
            if (!done) {
                fail("closed by the other side during the stream handshake", null);
                stream.close();
            }
        }

        @Override
        public void gone(YamuxConnection.Stream s, String why) {
            if (!done) {
                fail(why + " during the stream handshake", null);
            }
        }

        /** Hands the stream to a link, with the bytes that followed the object. */
        void become(DmsgByteStream link) {
            done = true;
            deadline.cancel(false);
            link.attach(Arrays.copyOf(buf, len), (int) received);
        }

        abstract void object(byte[] object);

        abstract void fail(String why, StreamHandshakeException cause);
    }

    private final class Dial extends Handshake {
        final PeerKey peer;
        final int port;
        final int localPort;
        final MonoSink<DmsgByteStream> sink;
        NoiseHandshake kk;
        byte[] signedRequest;

        Dial(PeerKey peer, int port, int localPort, MonoSink<DmsgByteStream> sink) {
            this.peer = peer;
            this.port = port;
            this.localPort = localPort;
            this.sink = sink;
            sink.onCancel(() -> channel.eventLoop().execute(() -> {
                if (!done) {
                    fail("dial cancelled", null);
                    stream.reset();
                }
            }));
        }

        void start() {
            armDeadline("stream handshake with " + peer);
            offload(() -> {
                kk = NoiseHandshake.kkInitiator(identity, peer);
                byte[] msg1 = kk.writeMessage();
                StreamRequest req = StreamRequest.create(clock, new StreamAddr(identity.publicKey(), localPort),
                        new StreamAddr(peer, port), msg1);
                byte[] signed = req.sign(identity);
                return () -> {
                    signedRequest = signed;
                    stream.write(SessionFrames.seal(cipher, signed));
                };
            });
        }

        @Override
        void object(byte[] object) {
            byte[] request = signedRequest;
            offload(() -> {
                StreamResponse resp = StreamResponse.verify(object, request, peer);
                kk.readMessage(resp.noiseMsg());
                NoiseCipher e2e = kk.split();
                return () -> {
                    if (done) {
                        e2e.destroy();
                        return;
                    }
                    DmsgByteStream link = new DmsgByteStream(stream, e2e, peer, port, localPort, server, stats,
                            () -> ports.release(localPort));
                    become(link);
                    stats.streamsDialled.incrementAndGet();
                    sink.success(link);
                };
            });
        }

        @Override
        void fail(String why, StreamHandshakeException cause) {
            if (done) {
                return;
            }
            done = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (kk != null) {
                kk.destroy();
            }
            ports.release(localPort);
            sink.error(TransportException.unreachable(peer, TransportKind.DMSG, why + " (via " + server + ")", cause));
        }

        /** Runs EC work off the loop; its result runs back on the loop. */
        void offload(Step step) {
            DmsgClientSession.this.offload(step, (why, cause) -> {
                fail(why, cause);
                stream.reset();
            }, () -> done);
        }
    }

    // --- accepting: the server opened a stream because a peer dialled us

    @Override
    public void incoming(YamuxConnection.Stream stream) {
        Accept a = new Accept();
        a.stream = stream;
        stream.handler(a);
        a.armDeadline("incoming stream handshake");
    }

    private final class Accept extends Handshake {

        @Override
        void object(byte[] object) {
            PeerKey self = identity.publicKey();
            DmsgClientSession.this.offload(() -> {
                StreamRequest req;
                try {
                    req = StreamRequest.verify(object, 0).requireDestination(self);
                } catch (StreamHandshakeException e) {
                    return () -> refuse(e, null);
                }
                if (!listeners.listens(req.dst().port())) {
                    StreamHandshakeException noListener = new StreamHandshakeException(StreamErrorCode.REQ_NO_LISTENER,
                            "port " + req.dst().port() + " from " + req.src());
                    byte[] reject = StreamResponse.reject(object, StreamErrorCode.REQ_NO_LISTENER).sign(identity);
                    return () -> refuse(noListener, reject);
                }
                NoiseHandshake kk = NoiseHandshake.kkResponder(identity, req.src().pk());
                try {
                    kk.readMessage(req.noiseMsg());
                } catch (NoiseException e) {
                    kk.destroy();
                    return () -> refuse(new StreamHandshakeException(StreamErrorCode.SIGNED_OBJECT_INVALID,
                            "noise KK message 1 from " + req.src() + ": " + e.getMessage()), null);
                }
                byte[] msg2 = kk.writeMessage();
                NoiseCipher e2e = kk.split();
                byte[] response = StreamResponse.accept(object, msg2).sign(identity);
                return () -> {
                    if (done) {
                        e2e.destroy();
                        return;
                    }
                    stream.write(SessionFrames.seal(cipher, response));
                    DmsgByteStream link = new DmsgByteStream(stream, e2e, req.src().pk(), req.dst().port(),
                            req.dst().port(), server, stats, () -> { });
                    become(link);
                    stats.streamsAccepted.incrementAndGet();
                    log.debug("dmsg accepted a stream from {} via {}", req.src(), server);
                    listeners.accepted(link);
                };
            }, (why, cause) -> {
                fail(why, cause);
                stream.reset();
            }, () -> done);
        }

        /** Upstream just closes on a bad request; a port nobody listens on also gets a signed refusal. */
        private void refuse(StreamHandshakeException why, byte[] signedReject) {
            if (done) {
                return;
            }
            fail(why.getMessage(), why);
            if (signedReject != null) {
                stream.write(SessionFrames.seal(cipher, signedReject));
            }
            stream.close();
        }

        @Override
        void fail(String why, StreamHandshakeException cause) {
            if (done) {
                return;
            }
            done = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            stats.streamsRejected.incrementAndGet();
            log.info("dmsg refused an incoming stream via {}: {}", server, why);
        }
    }

    interface Step {
        /** EC work; returns what to do next on the event loop. */
        Runnable run() throws Exception;
    }

    interface Failure {
        void fail(String why, StreamHandshakeException cause);
    }

    private void offload(Step step, Failure onFailure, java.util.function.BooleanSupplier abandoned) {
        try {
            crypto.execute(() -> {
                Runnable next;
                try {
                    next = step.run();
                } catch (StreamHandshakeException e) {
                    channel.eventLoop().execute(() -> {
                        if (!abandoned.getAsBoolean()) {
                            onFailure.fail(e.getMessage(), e);
                        }
                    });
                    return;
                } catch (Exception | Error e) {
                    channel.eventLoop().execute(() -> {
                        if (!abandoned.getAsBoolean()) {
                            onFailure.fail(String.valueOf(e.getMessage()), null);
                        }
                    });
                    return;
                }
                channel.eventLoop().execute(next);
            });
        } catch (RejectedExecutionException e) {
            onFailure.fail("node is overloaded", null);
        }
    }

    @Override
    public String toString() {
        return "dmsg session with " + server + " (" + (channel == null ? "?" : channel.remoteAddress()) + ")";
    }
}
