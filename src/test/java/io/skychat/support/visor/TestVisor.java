package io.skychat.support.visor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.skychat.core.PeerKey;
import io.skychat.transport.visor.AcceptResp;
import io.skychat.transport.visor.AppAddr;
import io.skychat.transport.visor.AppCall;
import io.skychat.transport.visor.DialResp;
import io.skychat.transport.visor.Empty;
import io.skychat.transport.visor.Hello;
import io.skychat.transport.visor.ProcConfig;
import io.skychat.transport.visor.ProcKey;
import io.skychat.transport.visor.ReadReq;
import io.skychat.transport.visor.ReadResp;
import io.skychat.transport.visor.RpcDecoder;
import io.skychat.transport.visor.RpcEncoder;
import io.skychat.transport.visor.RpcIoError;
import io.skychat.transport.visor.RpcRequest;
import io.skychat.transport.visor.WriteReq;
import io.skychat.transport.visor.WriteResp;

/**
 * A visor's app server as the apps under it see it, on real loopback TCP: the Hello, then Go net/rpc with gob
 * (our decoder reading requests, our encoder writing replies), every call answered on its own thread as the
 * Go visor does, so a blocked Accept or Read never holds up the rest and replies go out of order. It routes
 * skynet and dmsg connections between the apps attached to it: each app is "a visor" with its own key, and
 * a Dial to a key reaches the Accept of the app listening on it. Also the visor's CLI RPC port with
 * {@code app-visor.RegisterApp}. It can stop and start again on the same ports (apps must re-attach), refuse
 * Dials to chosen keys, and send an attached app garbage or a reply to a call it never made.
 */
public final class TestVisor implements AutoCloseable {

    /** What the visor knows about one app process, across restarts (as a visor's config would). */
    public static final class Proc {
        final PeerKey pk;
        final List<String> statuses = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile int appPort;
        volatile AppConnection connection;

        Proc(PeerKey pk) {
            this.pk = pk;
        }

        public List<String> statuses() {
            return List.copyOf(statuses);
        }

        public List<String> errors() {
            return List.copyOf(errors);
        }

        /** Every method called, in arrival order ("Listen", "Dial", …). */
        public List<String> calls() {
            return List.copyOf(calls);
        }

        public int appPort() {
            return appPort;
        }

        public boolean attached() {
            AppConnection c = connection;
            return c != null && !c.closed;
        }

        /** How many Hellos with this key the visor has taken. */
        public int attachments() {
            return (int) calls.stream().filter("Hello"::equals).count();
        }
    }

    private record ListenKey(String net, PeerKey pk, int port) {
    }

    private final Map<ProcKey, Proc> procs = new ConcurrentHashMap<>();
    private final Map<ListenKey, Listener> listeners = new ConcurrentHashMap<>();
    private final Set<String> refusedDials = ConcurrentHashMap.newKeySet();
    /** Every dial asked for, as {@code net/pk:port}, whether it got through or not. */
    public final Set<String> dialsAsked = ConcurrentHashMap.newKeySet();
    private final Set<AppConnection> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-visor");
        t.setDaemon(true);
        return t;
    });
    private volatile ServerSocket appServer;
    private volatile ServerSocket cliRpc;
    private int appPort;
    private int rpcPort;

    /** Binds both ports (ephemeral the first time, the same ones after a {@link #stop()}). */
    public synchronized TestVisor start() {
        appServer = bind(appPort);
        appPort = appServer.getLocalPort();
        cliRpc = bind(rpcPort);
        rpcPort = cliRpc.getLocalPort();
        ServerSocket app = appServer;
        ServerSocket rpc = cliRpc;
        threads.execute(() -> acceptLoop(app, false));
        threads.execute(() -> acceptLoop(rpc, true));
        return this;
    }

    /** Like a visor going down: both ports close and every app connection with them. */
    public synchronized void stop() {
        closeQuietly(appServer);
        closeQuietly(cliRpc);
        for (AppConnection c : List.copyOf(connections)) {
            c.close();
        }
        listeners.clear();
    }

    @Override
    public void close() {
        stop();
        threads.shutdownNow();
    }

    public String appServerAddress() {
        return "127.0.0.1:" + appPort;
    }

    public String rpcAddress() {
        return "127.0.0.1:" + rpcPort;
    }

    /** A proc the visor will accept a Hello from, as the launcher prepares one before starting the app. */
    public ProcKey register(PeerKey pk) {
        return register(pk, ProcKey.random());
    }

    /** As {@link #register(PeerKey)} with a chosen key: what a visor still knows after an app crashed. */
    public ProcKey register(PeerKey pk, ProcKey key) {
        procs.put(key, new Proc(pk));
        return key;
    }

    /** The PROC_CONFIG JSON the launcher would hand a child with this key. */
    public String procConfig(ProcKey key, String workDir) {
        Proc p = procs.get(key);
        return "{\"app_name\":\"skychat\",\"app_server_addr\":\"" + appServerAddress() + "\",\"proc_key\":\"" + key.hex()
                + "\",\"proc_args\":null,\"proc_envs\":null,\"proc_work_dir\":\"" + workDir + "\",\"visor_pk\":\""
                + p.pk.hex() + "\",\"routing_port\":1,\"binary_loc\":\"\",\"log_db_loc\":\"\",\"log_store_path\":\"\"}";
    }

    public Proc proc(ProcKey key) {
        return procs.get(key);
    }

    /** The proc registered for {@code pk} (by {@link #register} or over RegisterApp). */
    /** Whether an app listens on {@code net} ({@code "skynet"}, {@code "dmsg"}) at {@code pk:port}. */
    public boolean listens(String net, PeerKey pk, int port) {
        Listener l = listeners.get(new ListenKey(net, pk, port));
        return l != null && !l.owner.closed;
    }

    public Optional<Proc> procOf(PeerKey pk) {
        return procs.values().stream().filter(p -> p.pk.equals(pk)).findFirst();
    }

    /** Dials over {@code net} to {@code pk} fail, as a route that cannot be set up. */
    public void refuseDials(String net, PeerKey pk) {
        refusedDials.add(net + "/" + pk.hex());
    }

    /** Sends the app attached as {@code pk} bytes that are no gob stream. */
    public void sendGarbage(PeerKey pk) {
        sendRaw(pk, new byte[] {0x07, (byte) 0xff, 0x13, 0x37, 0x00, 0x42, 0x42, 0x42});
    }

    /** Sends the app attached as {@code pk} these bytes on its reply stream, as they are. */
    public void sendRaw(PeerKey pk, byte[] bytes) {
        connectionOf(pk).writeRaw(bytes);
    }

    /** Sends the app attached as {@code pk} a well-formed reply to a call it never made. */
    public void sendUnknownSeq(PeerKey pk) {
        AppConnection c = connectionOf(pk);
        c.reply(c.service + ".SetAppPort", 987_654_321L, AppCall.SET_APP_PORT, Empty.INSTANCE);
    }

    private AppConnection connectionOf(PeerKey pk) {
        Proc p = procOf(pk).orElseThrow();
        AppConnection c = p.connection;
        if (c == null || c.closed) {
            throw new IllegalStateException(pk + " is not attached");
        }
        return c;
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("test visor cannot bind port " + port, e);
        }
    }

    private void acceptLoop(ServerSocket server, boolean cli) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                AppConnection c = new AppConnection(s, cli);
                connections.add(c);
                threads.execute(c::serve);
            } catch (IOException e) {
                return; // closed by stop()
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** A chat listener of one app: Dials to its address wait here for that app's Accept. */
    private static final class Listener {
        final AppConnection owner;
        final int id;
        final LinkedBlockingQueue<Conn> incoming = new LinkedBlockingQueue<>();

        Listener(AppConnection owner, int id) {
            this.owner = owner;
            this.id = id;
        }
    }

    /** One end of a routed connection: what the other end wrote, until either side closes. */
    private static final class Conn {
        final AppAddr remote;
        final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
        Conn peer;
        boolean closed;

        Conn(AppAddr remote) {
            this.remote = remote;
        }

        synchronized void deliver(byte[] b) {
            inbound.add(b);
            notifyAll();
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }

        /** One read: what is there, up to {@code max} bytes; null at the end of the stream. */
        synchronized byte[] read(int max, AppConnection app) throws InterruptedException {
            while (inbound.isEmpty() && !closed && !app.closed) {
                wait(200);
            }
            if (inbound.isEmpty()) {
                return null;
            }
            byte[] head = inbound.peek();
            if (head.length <= max) {
                return inbound.poll();
            }
            byte[] part = java.util.Arrays.copyOf(head, max);
            inbound.poll();
            inbound.addFirst(java.util.Arrays.copyOfRange(head, max, head.length));
            return part;
        }
    }

    /** One app (or CLI RPC) connection: requests read here, each answered on its own thread. */
    private final class AppConnection {
        final Socket socket;
        final boolean cli;
        final RpcEncoder encoder = new RpcEncoder();
        final Map<Integer, Conn> conns = new ConcurrentHashMap<>();
        final List<Listener> ownListeners = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger nextConnId = new AtomicInteger();
        final AtomicInteger nextListenerId = new AtomicInteger();
        volatile boolean closed;
        volatile Proc proc;
        String service = AppCall.VISOR_SERVICE;
        OutputStream out;

        AppConnection(Socket socket, boolean cli) {
            this.socket = socket;
            this.cli = cli;
        }

        void serve() {
            try (socket) {
                out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                ByteBuffer buf = ByteBuffer.allocate(1 << 21);
                RpcDecoder decoder = new RpcDecoder();
                byte[] chunk = new byte[65536];
                boolean helloDone = cli;
                while (!closed) {
                    int n = in.read(chunk);
                    if (n < 0) {
                        return;
                    }
                    buf.put(chunk, 0, n).flip();
                    if (!helloDone) {
                        Optional<Hello> hello = Hello.decode(buf);
                        if (hello.isPresent()) {
                            Proc p = procs.get(hello.get().procKey());
                            if (p == null) {
                                return; // as the visor: an unknown key just closes the connection
                            }
                            proc = p;
                            service = hello.get().procKey().hex();
                            p.connection = this;
                            p.calls.add("Hello");
                            helloDone = true;
                        }
                    }
                    if (helloDone) {
                        for (Optional<RpcRequest> r = decoder.nextRequest(buf); r.isPresent(); r = decoder.nextRequest(buf)) {
                            RpcRequest request = r.get();
                            if (proc != null) {
                                proc.calls.add(request.method());
                            }
                            threads.execute(() -> handle(request));
                        }
                    }
                    buf.compact();
                }
            } catch (IOException | RuntimeException e) {
                // a broken app connection ends like a closed one
            } finally {
                close();
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            connections.remove(this);
            closeQuietly(socket);
            for (Listener l : List.copyOf(ownListeners)) {
                listeners.values().remove(l);
            }
            for (Conn c : conns.values()) {
                c.close();
                if (c.peer != null) {
                    c.peer.close();
                }
            }
        }

        void handle(RpcRequest request) {
            String method = request.method();
            try {
                if (cli) {
                    handleCli(request);
                    return;
                }
                AppCall<?, ?> call = AppCall.appCall(method).orElse(null);
                if (call == null || !request.service().equals(service)) {
                    error(request, "rpc: can't find service " + request.serviceMethod());
                    return;
                }
                Object args = call.decodeArgs(request.args());
                switch (method) {
                    case "Listen" -> listen(request, (AppAddr) args);
                    case "Accept" -> accept(request, (Integer) args);
                    case "Dial" -> dial(request, (AppAddr) args);
                    case "Read" -> read(request, (ReadReq) args);
                    case "Write" -> write(request, (WriteReq) args);
                    case "CloseConn" -> {
                        Conn c = conns.remove((Integer) args);
                        if (c == null) {
                            error(request, "no conn: no value with id " + args);
                            return;
                        }
                        c.close();
                        c.peer.close();
                        ok(request, AppCall.CLOSE_CONN, Empty.INSTANCE);
                    }
                    case "CloseListener" -> {
                        listeners.values().removeIf(l -> l.owner == this && l.id == (Integer) args);
                        ok(request, AppCall.CLOSE_LISTENER, Empty.INSTANCE);
                    }
                    case "SetAppPort" -> {
                        proc.appPort = (Integer) args;
                        ok(request, AppCall.SET_APP_PORT, Empty.INSTANCE);
                    }
                    case "SetDetailedStatus" -> {
                        proc.statuses.add((String) args);
                        ok(request, AppCall.SET_DETAILED_STATUS, Empty.INSTANCE);
                    }
                    case "SetError" -> {
                        proc.errors.add((String) args);
                        ok(request, AppCall.SET_ERROR, Empty.INSTANCE);
                    }
                    default -> error(request, "not served by the test visor: " + method);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                error(request, e.getMessage());
            }
        }

        void handleCli(RpcRequest request) {
            switch (request.method()) {
                case "RegisterApp" -> {
                    ProcConfig config = AppCall.REGISTER_APP.decodeArgs(request.args());
                    if (procs.containsKey(config.procKey())) {
                        error(request, "app already started");
                        return;
                    }
                    procs.put(config.procKey(), new Proc(config.visorPk()));
                    ok(request, AppCall.REGISTER_APP, config.procKey());
                }
                case "DeregisterApp" -> {
                    procs.remove(AppCall.DEREGISTER_APP.decodeArgs(request.args()));
                    ok(request, AppCall.DEREGISTER_APP, Empty.INSTANCE);
                }
                default -> error(request, "rpc: can't find method " + request.serviceMethod());
            }
        }

        void listen(RpcRequest request, AppAddr local) {
            ListenKey key = new ListenKey(local.net(), local.pubKey(), local.port());
            Listener l = new Listener(this, nextListenerId.incrementAndGet());
            if (listeners.putIfAbsent(key, l) != null) {
                error(request, "port already bound");
                return;
            }
            ownListeners.add(l);
            ok(request, AppCall.LISTEN, l.id);
        }

        void accept(RpcRequest request, int listenerId) throws InterruptedException {
            Listener l = ownListeners.stream().filter(x -> x.id == listenerId).findFirst().orElse(null);
            if (l == null) {
                error(request, "no listener with key " + listenerId);
                return;
            }
            while (!closed && listeners.containsValue(l)) {
                Conn c = l.incoming.poll(200, TimeUnit.MILLISECONDS);
                if (c != null) {
                    int id = nextConnId.incrementAndGet();
                    conns.put(id, c);
                    ok(request, AppCall.ACCEPT, new AcceptResp(c.remote, id));
                    return;
                }
            }
            error(request, "listener closed");
        }

        void dial(RpcRequest request, AppAddr remote) {
            int id = nextConnId.incrementAndGet(); // reserved even when the dial fails, as upstream's idmanager
            dialsAsked.add(remote.net() + "/" + remote.pubKey().hex() + ":" + remote.port());
            Listener l = listeners.get(new ListenKey(remote.net(), remote.pubKey(), remote.port()));
            if (refusedDials.contains(remote.net() + "/" + remote.pubKey().hex())) {
                error(request, "failed to dial " + remote.pubKey() + ": route setup refused (test visor)");
                return;
            }
            if (l == null || l.owner.closed) {
                error(request, "no route to " + remote.pubKey() + ":" + remote.port() + " over " + remote.net());
                return;
            }
            Conn mine = new Conn(remote);
            Conn theirs = new Conn(new AppAddr(remote.net(), proc.pk, 0x8000 + id));
            mine.peer = theirs;
            theirs.peer = mine;
            conns.put(id, mine);
            l.incoming.add(theirs);
            ok(request, AppCall.DIAL, new DialResp(id, 0x8000 + id));
        }

        void read(RpcRequest request, ReadReq req) throws InterruptedException {
            Conn c = conns.get(req.connId());
            if (c == null) {
                error(request, "no conn with key " + req.connId());
                return;
            }
            byte[] data = c.read((int) Math.min(Integer.MAX_VALUE, req.bufLen()), this);
            if (data == null) {
                ok(request, AppCall.READ, new ReadResp(new byte[0], 0, Optional.of(new RpcIoError(RpcIoError.EOF,
                        false, false, false))));
                return;
            }
            ok(request, AppCall.READ, new ReadResp(data, data.length, Optional.empty()));
        }

        void write(RpcRequest request, WriteReq req) {
            Conn c = conns.get(req.connId());
            if (c == null) {
                error(request, "no conn with key " + req.connId());
                return;
            }
            if (c.closed || c.peer.closed) {
                ok(request, AppCall.WRITE, new WriteResp(0, Optional.of(new RpcIoError(
                        "io: read/write on closed pipe", false, false, false))));
                return;
            }
            byte[] data = req.data();
            c.peer.deliver(data);
            ok(request, AppCall.WRITE, new WriteResp(data.length, Optional.empty()));
        }

        <R> void ok(RpcRequest request, AppCall<?, R> call, R reply) {
            reply(request.serviceMethod(), request.seq(), call, reply);
        }

        <R> void reply(String serviceMethod, long seq, AppCall<?, R> call, R reply) {
            synchronized (this) {
                write(encoder.reply(serviceMethod, seq, call, reply));
            }
        }

        void error(RpcRequest request, String text) {
            synchronized (this) {
                write(encoder.errorReply(request.serviceMethod(), request.seq(), text == null ? "error" : text));
            }
        }

        synchronized void writeRaw(byte[] bytes) {
            write(bytes);
        }

        private void write(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                close();
            }
        }
    }
}
