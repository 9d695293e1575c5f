package io.skychat.transport.dmsg;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * A dmsg server on loopback that does what upstream's does, with the project's own vector-tested pieces: the
 * responder side of XK, yamux as the server ({@link YamuxSession#server}), one session per client key (a new
 * session for a key it still holds is refused), stream requests checked and relayed to the destination's
 * session, the response carried back, then the two streams spliced. It posts its server entry to a
 * {@link TestDiscovery}. It can be stopped and started again on the same port, and told to misbehave.
 */
public final class TestDmsgServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestDmsgServer.class);
    private static final Executor INLINE = Runnable::run;

    private final KeyPair key;
    private final TestDiscovery discovery;
    private final Map<PeerKey, Session> sessions = new ConcurrentHashMap<>();
    private volatile DisposableServer server;
    private volatile int port;
    public final AtomicInteger sessionsOpened = new AtomicInteger();
    public final AtomicInteger refusedDuplicates = new AtomicInteger();
    public final AtomicInteger requestsRefused = new AtomicInteger();
    public final AtomicInteger streamsSpliced = new AtomicInteger();
    /** The destination ports of the stream requests it relayed (checked, to a client it has a session with). */
    public final java.util.Set<Integer> portsRequested = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public TestDmsgServer(KeyPair key, TestDiscovery discovery) {
        this.key = key;
        this.discovery = discovery;
    }

    public PeerKey key() {
        return key.publicKey();
    }

    public int port() {
        return port;
    }

    /** {@code <pk>@127.0.0.1:<port>}, the form of {@code --dmsg-server}. */
    public String address() {
        return key.publicKey() + "@127.0.0.1:" + port;
    }

    /** Binds (the same port as before after a restart) and posts the server entry. */
    public synchronized TestDmsgServer start() {
        server = TcpServer.create().host("127.0.0.1").port(port)
                .handle((in, out) -> Mono.<Void>create(done -> in.withConnection(c -> {
                    c.onDispose(done::success);
                    accept(c);
                })))
                .bindNow(Duration.ofSeconds(10));
        port = ((InetSocketAddress) server.address()).getPort();
        if (discovery != null) {
            long now = System.currentTimeMillis() * 1_000_000L;
            discovery.putServer(DiscoveryEntry.server(key.publicKey(), 0, now, "127.0.0.1:" + port, 2048).sign(key));
        }
        log.info("test dmsg server {} on 127.0.0.1:{}", key.publicKey(), port);
        return this;
    }

    /** Closes the listener and every session, as a crashed server would. */
    public synchronized void stop() {
        DisposableServer s = server;
        server = null;
        if (s != null) {
            s.disposeNow(Duration.ofSeconds(5));
        }
        sessions.values().forEach(ss -> ss.channel.close());
        sessions.clear();
        if (discovery != null) {
            discovery.removeServer(key.publicKey());
        }
    }

    public boolean hasSession(PeerKey client) {
        Session s = sessions.get(client);
        return s != null && s.channel.isActive();
    }

    public int sessionCount() {
        return (int) sessions.values().stream().filter(s -> s.channel.isActive()).count();
    }

    /** Writes raw bytes onto the client's session connection, as a broken server would. */
    public void injectRaw(PeerKey client, byte[] bytes) {
        Session s = sessions.get(client);
        s.channel.eventLoop().execute(() -> s.channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)));
    }

    /**
     * Opens a stream to {@code client} and writes {@code signedRequest} on it (sealed with the session keys);
     * completes with the signed response the client wrote, or null when it closed the stream without one.
     */
    public CompletableFuture<byte[]> sendRequest(PeerKey client, byte[] signedRequest) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        Session s = sessions.get(client);
        s.channel.eventLoop().execute(() -> {
            ObjectReader reader = new ObjectReader(s.cipher) {
                @Override
                void object(YamuxConnection.Stream stream, byte[] object, byte[] rest) {
                    answer.complete(object);
                    stream.close();
                }

                @Override
                void ended(YamuxConnection.Stream stream) {
                    answer.complete(null);
                }
            };
            YamuxConnection.Stream stream = s.mux.open(reader);
            stream.write(SessionFrames.seal(s.cipher, signedRequest));
        });
        return answer;
    }

    /** Opens a stream to {@code client}, writes {@code raw} as it is and half-closes: a truncated or forged object. */
    public void sendRaw(PeerKey client, byte[] raw) {
        Session s = sessions.get(client);
        s.channel.eventLoop().execute(() -> {
            YamuxConnection.Stream stream = s.mux.open(new ObjectReader(s.cipher) {
                @Override
                void object(YamuxConnection.Stream st, byte[] object, byte[] rest) {
                }
            });
            stream.write(raw);
            stream.close();
        });
    }

    /** Seals with the session keys of {@code client}, on its event loop (the cipher's nonce is per session). */
    public CompletableFuture<byte[]> seal(PeerKey client, byte[] object) {
        Session s = sessions.get(client);
        CompletableFuture<byte[]> sealed = new CompletableFuture<>();
        s.channel.eventLoop().execute(() -> sealed.complete(SessionFrames.seal(s.cipher, object)));
        return sealed;
    }

    private void accept(Connection c) {
        SessionHandshake xk = new SessionHandshake(NoiseHandshake.xkResponder(key), INLINE);
        c.addHandlerLast("dmsg-xk", xk);
        xk.result().addListener(f -> {
            if (!f.isSuccess()) {
                log.info("test dmsg server: handshake failed: {}", f.cause().toString());
                return;
            }
            SessionHandshake.Result r = (SessionHandshake.Result) f.getNow();
            Session old = sessions.get(r.remote());
            if (old != null && old.channel.isActive()) {
                // Upstream: the session it still holds for this key stays; the newcomer must come back later.
                refusedDuplicates.incrementAndGet();
                log.info("test dmsg server: refusing a second session for {}", r.remote());
                r.cipher().destroy();
                c.channel().close();
                return;
            }
            Session s = new Session(r.remote(), r.cipher(), c.channel());
            s.mux = new YamuxConnection(YamuxSession.server(YamuxConfig.DMSG), YamuxConfig.DMSG, s);
            c.channel().pipeline().addAfter("dmsg-xk", "dmsg-yamux", s.mux);
            sessions.put(r.remote(), s);
            sessionsOpened.incrementAndGet();
        });
    }

    /** Reads the first session-sealed object of a stream; bytes behind it are handed on. */
    private abstract static class ObjectReader implements YamuxConnection.StreamHandler {
        private final NoiseCipher cipher;
        private byte[] buf = new byte[0];
        private boolean got;

        ObjectReader(NoiseCipher cipher) {
            this.cipher = cipher;
        }

        @Override
        public void data(YamuxConnection.Stream stream, byte[] data) {
            if (got) {
                stream.consumed(data.length); // not expected: the owner took the stream over
                return;
            }
            byte[] grown = Arrays.copyOf(buf, buf.length + data.length);
            System.arraycopy(data, 0, grown, buf.length, data.length);
            buf = grown;
            SessionFrames.Opened o;
            try {
                o = SessionFrames.open(cipher, buf, 0, buf.length);
            } catch (SessionFrameException e) {
                log.info("test dmsg server: unreadable object: {}", e.getMessage());
                stream.reset();
                return;
            }
            if (o != null) {
                got = true;
                stream.consumed(o.consumed()); // the bytes behind it are granted back by whoever takes them
                object(stream, o.object(), Arrays.copyOfRange(buf, o.consumed(), buf.length));
            }
        }

        @Override
        public void remoteClosed(YamuxConnection.Stream stream) {
            stream.close();
            if (!got) {
                ended(stream);
            }
        }

        @Override
        public void gone(YamuxConnection.Stream stream, String why) {
            if (!got) {
                ended(stream);
            }
        }

        abstract void object(YamuxConnection.Stream stream, byte[] object, byte[] rest);

        void ended(YamuxConnection.Stream stream) {
        }
    }

    private final class Session implements YamuxConnection.Events {
        final PeerKey client;
        final NoiseCipher cipher;
        final Channel channel;
        YamuxConnection mux;

        Session(PeerKey client, NoiseCipher cipher, Channel channel) {
            this.client = client;
            this.cipher = cipher;
            this.channel = channel;
        }

        @Override
        public void incoming(YamuxConnection.Stream src) {
            src.handler(new ObjectReader(cipher) {
                @Override
                void object(YamuxConnection.Stream stream, byte[] object, byte[] rest) {
                    relay(Session.this, stream, object, rest);
                }
            });
        }

        @Override
        public void closed(String reason, YamuxException cause) {
            log.info("test dmsg server: session of {} ended: {}", client, reason);
            sessions.remove(client, this);
        }
    }

    /** Upstream serveStream: check the request, forward it, carry the response back, then splice. */
    private void relay(Session from, YamuxConnection.Stream src, byte[] request, byte[] srcRest) {
        StreamRequest req;
        try {
            req = StreamRequest.verify(request, 0).requireSource(from.client);
        } catch (StreamHandshakeException e) {
            requestsRefused.incrementAndGet();
            log.info("test dmsg server: refused a request from {}: {}", from.client, e.getMessage());
            src.close();
            return;
        }
        Session to = sessions.get(req.dst().pk());
        if (to == null || !to.channel.isActive()) {
            requestsRefused.incrementAndGet();
            log.info("test dmsg server: {} (for {})", StreamErrorCode.REQ_NO_NEXT_SESSION.text(), req.dst());
            src.close();
            return;
        }
        portsRequested.add(req.dst().port());
        Splice splice = new Splice(src);
        to.channel.eventLoop().execute(() -> {
            YamuxConnection.Stream dst;
            try {
                dst = to.mux.open(new ObjectReader(to.cipher) {
                    @Override
                    void object(YamuxConnection.Stream stream, byte[] response, byte[] dstRest) {
                        try {
                            StreamResponse.verify(response, request, req.dst().pk());
                        } catch (StreamHandshakeException e) {
                            requestsRefused.incrementAndGet();
                            log.info("test dmsg server: response from {} refused: {}", req.dst(), e.getMessage());
                            stream.close();
                            src.eventLoop().execute(src::close);
                            return;
                        }
                        splice.dst = stream;
                        stream.handler(splice.handlerFor(stream));
                        src.eventLoop().execute(() -> {
                            src.write(SessionFrames.seal(from.cipher, response));
                            src.handler(splice.handlerFor(src));
                            streamsSpliced.incrementAndGet();
                            if (srcRest.length > 0) {
                                splice.forward(src, srcRest);
                            }
                        });
                        if (dstRest.length > 0) {
                            splice.forward(stream, dstRest);
                        }
                    }

                    @Override
                    void ended(YamuxConnection.Stream stream) {
                        src.eventLoop().execute(src::close);
                    }
                });
            } catch (YamuxException e) {
                src.eventLoop().execute(src::close);
                return;
            }
            dst.write(SessionFrames.seal(to.cipher, request));
        });
    }

    /** Two streams on (maybe) two event loops; bytes cross with the window granted back once written. */
    private static final class Splice {
        final YamuxConnection.Stream src;
        volatile YamuxConnection.Stream dst;

        Splice(YamuxConnection.Stream src) {
            this.src = src;
        }

        YamuxConnection.Stream other(YamuxConnection.Stream s) {
            return s == src ? dst : src;
        }

        void forward(YamuxConnection.Stream from, byte[] data) {
            YamuxConnection.Stream to = other(from);
            to.eventLoop().execute(() -> to.write(data).addListener(f ->
                    from.eventLoop().execute(() -> from.consumed(data.length))));
        }

        YamuxConnection.StreamHandler handlerFor(YamuxConnection.Stream self) {
            return new YamuxConnection.StreamHandler() {
                @Override
                public void data(YamuxConnection.Stream s, byte[] data) {
                    forward(s, data);
                }

                @Override
                public void remoteClosed(YamuxConnection.Stream s) {
                    YamuxConnection.Stream to = other(s);
                    to.eventLoop().execute(to::close);
                }

                @Override
                public void gone(YamuxConnection.Stream s, String why) {
                    YamuxConnection.Stream to = other(s);
                    to.eventLoop().execute(to::reset);
                }
            };
        }
    }

    @Override
    public void close() {
        stop();
    }
}
