package io.skychat.support.visor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.skychat.core.PeerKey;
import io.skychat.transport.visor.AppCall;
import io.skychat.transport.visor.Empty;
import io.skychat.transport.visor.RpcDecoder;
import io.skychat.transport.visor.RpcEncoder;
import io.skychat.transport.visor.RpcRequest;
import io.skychat.transport.visor.VisorPairCalls;

/**
 * Upstream's visor pair RPC as a test server: Go net/rpc framing with gob ({@code app-visor.PairAdd}…), on a port
 * of its own, acting for one visor key ({@code owner}). Several of them share an {@link Exchange}, which plays the
 * pair feeds between those visors with upstream's semantics: both sides must {@code PairAdd}; a side's messages
 * reach the other side's inbox once the other side has added it too (late adders catch up on everything, as a CXO
 * subscriber would); the inbox is a ring of 1,024; {@code PairPoll} answers messages strictly after {@code since};
 * {@code PairSend} for a peer without a live record fails with upstream's text.
 */
public final class TestPairRpc implements AutoCloseable {

    /** The pair feeds between the visors of one test. */
    public static final class Exchange {
        static final int INBOX = 1024;

        private final Clock clock;
        private final Map<List<PeerKey>, Info> records = new HashMap<>(); // [owner, peer]
        private final Map<List<PeerKey>, List<VisorPairCalls.Message>> feeds = new HashMap<>(); // [author, reader]
        private final Map<List<PeerKey>, Integer> delivered = new HashMap<>(); // [author, reader]
        private final Map<PeerKey, ArrayDeque<VisorPairCalls.Message>> inboxes = new HashMap<>();

        public Exchange() {
            this(Clock.systemUTC());
        }

        public Exchange(Clock clock) {
            this.clock = clock;
        }

        private static final class Info {
            String status = "pending";
            final Instant established;
            Instant lastMessage;

            Info(Instant established) {
                this.established = established;
            }
        }

        synchronized void add(PeerKey owner, PeerKey peer) {
            Info r = records.get(List.of(owner, peer));
            if (r == null || r.status.equals("revoked")) {
                Info fresh = new Info(clock.instant());
                records.put(List.of(owner, peer), fresh);
            }
            sync(peer, owner);
            sync(owner, peer);
        }

        synchronized void markActive(PeerKey owner, PeerKey peer) {
            Info r = records.get(List.of(owner, peer));
            if (r == null) {
                throw new IllegalStateException("pairing: no pair record for " + peer.hex());
            }
            if (!r.status.equals("revoked")) {
                r.status = "active";
            }
        }

        synchronized void remove(PeerKey owner, PeerKey peer) {
            Info r = records.get(List.of(owner, peer));
            if (r == null) {
                throw new IllegalStateException("pairing: no pair record for " + peer.hex());
            }
            r.status = "revoked";
        }

        synchronized void send(PeerKey owner, PeerKey peer, String text) {
            if (!live(owner, peer)) {
                throw new IllegalStateException("pairing: no live pair for peer");
            }
            feeds.computeIfAbsent(List.of(owner, peer), k -> new ArrayList<>())
                    .add(new VisorPairCalls.Message(owner, text, clock.instant()));
            records.get(List.of(owner, peer)).lastMessage = clock.instant();
            sync(owner, peer);
        }

        synchronized List<VisorPairCalls.Info> list(PeerKey owner) {
            List<VisorPairCalls.Info> out = new ArrayList<>();
            records.forEach((k, r) -> {
                if (k.get(0).equals(owner)) {
                    out.add(new VisorPairCalls.Info(k.get(1), r.status, 10_000, Optional.of(r.established),
                            Optional.ofNullable(r.lastMessage)));
                }
            });
            out.sort(Comparator.comparing(i -> i.establishedAt().orElseThrow()));
            return out;
        }

        synchronized List<VisorPairCalls.Message> poll(PeerKey owner, Optional<Instant> since) {
            return inboxes.getOrDefault(owner, new ArrayDeque<>()).stream()
                    .filter(m -> since.isEmpty() || m.ts().isAfter(since.get())).toList();
        }

        /** What {@code reader} has not seen of {@code author}'s feed reaches its inbox, if both sides are live. */
        private void sync(PeerKey author, PeerKey reader) {
            if (!live(author, reader) || !live(reader, author)) {
                return;
            }
            List<VisorPairCalls.Message> feed = feeds.getOrDefault(List.of(author, reader), List.of());
            int from = delivered.getOrDefault(List.of(author, reader), 0);
            ArrayDeque<VisorPairCalls.Message> inbox = inboxes.computeIfAbsent(reader, k -> new ArrayDeque<>());
            for (VisorPairCalls.Message m : feed.subList(from, feed.size())) {
                inbox.addLast(m);
                if (inbox.size() > INBOX) {
                    inbox.removeFirst(); // upstream's ring drops the oldest
                }
            }
            delivered.put(List.of(author, reader), feed.size());
        }

        private boolean live(PeerKey owner, PeerKey peer) {
            Info r = records.get(List.of(owner, peer));
            return r != null && !r.status.equals("revoked");
        }
    }

    private final Exchange exchange;
    private final PeerKey owner;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-pair-rpc");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Every method called, in order. */
    public final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile int port;

    public TestPairRpc(Exchange exchange, PeerKey owner) {
        this.exchange = exchange;
        this.owner = owner;
    }

    /** Listens (again, on the same port after {@link #stop}). */
    public synchronized TestPairRpc start() {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            port = s.getLocalPort();
            server = s;
            threads.execute(() -> accept(s));
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("test pair RPC cannot bind port " + port, e);
        }
    }

    /** Closes the listener and every connection: the visor's RPC is gone until {@link #start}. */
    public synchronized void stop() {
        ServerSocket s = server;
        server = null;
        close(s);
        sockets.forEach(TestPairRpc::close);
        sockets.clear();
    }

    @Override
    public void close() {
        stop();
        threads.shutdownNow();
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket c = s.accept();
                sockets.add(c);
                threads.execute(() -> serve(c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        RpcDecoder decoder = new RpcDecoder();
        RpcEncoder encoder = new RpcEncoder();
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            byte[] chunk = new byte[65536];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                buf.put(chunk, 0, n).flip();
                for (Optional<RpcRequest> r = decoder.nextRequest(buf); r.isPresent(); r = decoder.nextRequest(buf)) {
                    out.write(answer(encoder, r.get()));
                }
                buf.compact();
            }
        } catch (IOException | RuntimeException e) {
            // a broken connection ends like a closed one, as net/rpc's server
        } finally {
            sockets.remove(socket);
        }
    }

    private byte[] answer(RpcEncoder encoder, RpcRequest request) {
        String method = request.method();
        calls.add(method);
        try {
            if (!AppCall.VISOR_SERVICE.equals(request.service())) {
                return encoder.errorReply(request.serviceMethod(), request.seq(),
                        "rpc: can't find service " + request.serviceMethod());
            }
            return switch (method) {
                case "PairAdd" -> {
                    exchange.add(owner, VisorPairCalls.PAIR_ADD.decodeArgs(request.args()));
                    yield encoder.reply(request.serviceMethod(), request.seq(), VisorPairCalls.PAIR_ADD, Empty.INSTANCE);
                }
                case "PairMarkActive" -> {
                    exchange.markActive(owner, VisorPairCalls.PAIR_MARK_ACTIVE.decodeArgs(request.args()));
                    yield encoder.reply(request.serviceMethod(), request.seq(), VisorPairCalls.PAIR_MARK_ACTIVE,
                            Empty.INSTANCE);
                }
                case "PairRemove" -> {
                    exchange.remove(owner, VisorPairCalls.PAIR_REMOVE.decodeArgs(request.args()));
                    yield encoder.reply(request.serviceMethod(), request.seq(), VisorPairCalls.PAIR_REMOVE, Empty.INSTANCE);
                }
                case "PairSend" -> {
                    VisorPairCalls.Send s = VisorPairCalls.PAIR_SEND.decodeArgs(request.args());
                    exchange.send(owner, s.peer(), s.text());
                    yield encoder.reply(request.serviceMethod(), request.seq(), VisorPairCalls.PAIR_SEND, Empty.INSTANCE);
                }
                case "PairList" -> encoder.reply(request.serviceMethod(), request.seq(), VisorPairCalls.PAIR_LIST,
                        exchange.list(owner));
                case "PairPoll" -> encoder.reply(request.serviceMethod(), request.seq(), VisorPairCalls.PAIR_POLL,
                        exchange.poll(owner, VisorPairCalls.PAIR_POLL.decodeArgs(request.args())));
                default -> encoder.errorReply(request.serviceMethod(), request.seq(),
                        "rpc: can't find method " + request.serviceMethod());
            };
        } catch (RuntimeException e) {
            return encoder.errorReply(request.serviceMethod(), request.seq(), String.valueOf(e.getMessage()));
        }
    }

    private static void close(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
