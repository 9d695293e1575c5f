package io.skychat.transport.dmsg;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.skychat.core.PeerKey;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A dmsg-discovery on loopback that checks what upstream's checks: a POSTed entry must be signed by its
 * static key, and an update needs a higher sequence and a timestamp no older than the stored one. It can be
 * told to answer 500 or nonsense, and stopped and started again on the same port.
 */
public final class TestDiscovery implements AutoCloseable {

    public enum Mode { NORMAL, ERROR_500, NONSENSE }

    private final Map<PeerKey, DiscoveryEntry> entries = new ConcurrentHashMap<>();
    private final Map<PeerKey, byte[]> raw = new ConcurrentHashMap<>();
    private volatile Mode mode = Mode.NORMAL;
    private volatile DisposableServer server;
    private volatile int port;
    public final AtomicInteger posts = new AtomicInteger();
    public final AtomicInteger refusedPosts = new AtomicInteger();
    public final AtomicInteger calls = new AtomicInteger();

    /** Binds an ephemeral loopback port. */
    public static TestDiscovery start() {
        TestDiscovery d = new TestDiscovery();
        d.startOn(0);
        return d;
    }

    /** Not started; {@link #startOn} later (a discovery that is down when the node starts). */
    public static TestDiscovery notStarted() {
        return new TestDiscovery();
    }

    public synchronized TestDiscovery startOn(int wanted) {
        server = HttpServer.create().host("127.0.0.1").port(wanted)
                .route(r -> r.route(req -> true, this::handle))
                .bindNow(Duration.ofSeconds(10));
        port = ((java.net.InetSocketAddress) server.address()).getPort();
        return this;
    }

    public synchronized void stop() {
        DisposableServer s = server;
        if (s != null) {
            s.disposeNow(Duration.ofSeconds(5));
            server = null;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public void mode(Mode m) {
        this.mode = m;
    }

    public Optional<DiscoveryEntry> entry(PeerKey pk) {
        return Optional.ofNullable(entries.get(pk));
    }

    /** Stores a server's own entry, as a dmsg server posts it (tests skip the HTTP round trip). */
    void putServer(DiscoveryEntry signed) {
        signed.verify();
        entries.put(signed.staticKey(), signed);
        raw.put(signed.staticKey(), signed.toJson());
    }

    void removeServer(PeerKey pk) {
        entries.remove(pk);
        raw.remove(pk);
    }

    private Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        calls.incrementAndGet();
        String path = req.fullPath();
        if (mode == Mode.ERROR_500) {
            return answer(res, 500, "{\"message\":\"unexpected error\",\"code\":500}");
        }
        if (mode == Mode.NONSENSE) {
            return answer(res, 200, "{\"version\":\"<html>not an entry");
        }
        if (req.method().equals(HttpMethod.GET) && path.startsWith("/dmsg-discovery/entry/")) {
            PeerKey pk;
            try {
                pk = PeerKey.parse(path.substring("/dmsg-discovery/entry/".length()));
            } catch (IllegalArgumentException e) {
                return answer(res, 400, "{\"message\":\"invalid public key\",\"code\":400}");
            }
            byte[] json = raw.get(pk);
            return json == null ? answer(res, 404, "{\"message\":\"entry of public key is not found\",\"code\":404}")
                    : answer(res, 200, new String(json, StandardCharsets.UTF_8));
        }
        if (req.method().equals(HttpMethod.POST) && (path.equals("/dmsg-discovery/entry") || path.equals("/dmsg-discovery/entry/"))) {
            return req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(body -> post(body, res));
        }
        if (req.method().equals(HttpMethod.GET) && path.equals("/dmsg-discovery/available_servers")) {
            String list = entries.values().stream().filter(e -> e.server() != null)
                    .map(e -> new String(raw.get(e.staticKey()), StandardCharsets.UTF_8))
                    .collect(Collectors.joining(",", "[", "]"));
            return answer(res, 200, list);
        }
        if (path.equals("/health")) {
            return answer(res, 200, "{}");
        }
        return answer(res, 404, "{\"message\":\"not found\",\"code\":404}");
    }

    private Mono<Void> post(byte[] body, HttpServerResponse res) {
        posts.incrementAndGet();
        DiscoveryEntry e;
        try {
            e = DiscoveryEntry.parse(body);
        } catch (DiscoveryException ex) {
            refusedPosts.incrementAndGet();
            boolean sig = ex.reason() == DiscoveryException.Reason.BAD_SIGNATURE || ex.reason() == DiscoveryException.Reason.NOT_SIGNED;
            return answer(res, sig ? 401 : 422, "{\"message\":\"entry validation error: " + ex.getMessage().replace('"', '\'')
                    + "\",\"code\":" + (sig ? 401 : 422) + "}");
        }
        DiscoveryEntry old = entries.get(e.staticKey());
        if (old != null && (e.sequence() <= old.sequence() || e.timestamp() < old.timestamp())) {
            refusedPosts.incrementAndGet();
            return answer(res, 422, "{\"message\":\"entry validation error: sequence " + e.sequence()
                    + " is not after " + old.sequence() + "\",\"code\":422}");
        }
        entries.put(e.staticKey(), e);
        raw.put(e.staticKey(), body);
        return answer(res, 200, old == null ? "{\"message\":\"wrote a new entry\",\"code\":200}"
                : "{\"message\":\"wrote new entry iteration\",\"code\":200}");
    }

    private static Mono<Void> answer(HttpServerResponse res, int status, String json) {
        return res.status(HttpResponseStatus.valueOf(status)).header("Content-Type", "application/json")
                .sendString(Mono.just(json)).then();
    }

    @Override
    public void close() {
        stop();
    }
}
