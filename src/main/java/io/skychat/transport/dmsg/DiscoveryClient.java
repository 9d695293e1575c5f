package io.skychat.transport.dmsg;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.skychat.core.PeerKey;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;

/**
 * The dmsg-discovery HTTP API as a client uses it: get an entry, post ours, list the servers. Every call has
 * a deadline; answers are parsed and their signatures checked on the {@code crypto} scheduler, never on an
 * event loop. A refused or garbled answer is an error the caller retries, never a crash.
 */
final class DiscoveryClient {

    private static final String PREFIX = "/dmsg-discovery";
    private static final byte[] NOTHING = new byte[0];

    private record Answer(int status, byte[] body) {
        String text() {
            String s = new String(body, StandardCharsets.UTF_8).strip();
            return s.length() > 200 ? s.substring(0, 200) + "…" : s;
        }
    }

    private final HttpClient http;
    private final String base;
    private final Duration timeout;
    private final Scheduler crypto;

    DiscoveryClient(String baseUrl, Duration timeout, Scheduler crypto) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.crypto = crypto;
        // No pooling: calls are rare, and a pooled connection to a restarted discovery would fail the next call.
        this.http = HttpClient.newConnection().baseUrl(base).responseTimeout(timeout)
                .headers(h -> h.set(HttpHeaderNames.ACCEPT, "application/json"));
    }

    String baseUrl() {
        return base;
    }

    /** The entry of {@code pk}, signature checked; empty when discovery has none. */
    Mono<Optional<DiscoveryEntry>> entry(PeerKey pk) {
        String call = "GET " + PREFIX + "/entry/" + pk;
        return call(call, http.get().uri(PREFIX + "/entry/" + pk.hex()).responseSingle((res, body) ->
                body.asByteArray().defaultIfEmpty(NOTHING).map(b -> new Answer(res.status().code(), b))))
                .publishOn(crypto)
                .map(a -> {
                    if (a.status() == 404) {
                        return Optional.<DiscoveryEntry>empty();
                    }
                    ok(call, a);
                    return Optional.of(DiscoveryEntry.parse(a.body(), pk));
                });
    }

    /** Posts a signed entry (new or the next iteration). */
    Mono<Void> post(DiscoveryEntry signed) {
        String call = "POST " + PREFIX + "/entry/";
        byte[] json = signed.toJson();
        return call(call, http.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .post().uri(PREFIX + "/entry/")
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(json)))
                .responseSingle((res, body) -> body.asByteArray().defaultIfEmpty(NOTHING)
                        .map(b -> new Answer(res.status().code(), b))))
                .doOnNext(a -> ok(call, a))
                .then();
    }

    /** Servers with free sessions, signatures checked; refused entries are dropped (the caller logs them). */
    Mono<DiscoveryEntry.ServerList> availableServers() {
        String call = "GET " + PREFIX + "/available_servers";
        return call(call, http.get().uri(PREFIX + "/available_servers").responseSingle((res, body) ->
                body.asByteArray().defaultIfEmpty(NOTHING).map(b -> new Answer(res.status().code(), b))))
                .publishOn(crypto)
                .map(a -> {
                    if (a.status() == 404) {
                        return new DiscoveryEntry.ServerList(List.of(), List.of());
                    }
                    ok(call, a);
                    return DiscoveryEntry.parseServers(a.body());
                });
    }

    private Mono<Answer> call(String call, Mono<Answer> exchange) {
        return exchange
                .timeout(timeout)
                .onErrorMap(e -> !(e instanceof DiscoveryCallException),
                        e -> new DiscoveryCallException(call, 0, e instanceof TimeoutException
                                ? "no answer within " + timeout.toMillis() + " ms" : String.valueOf(rootMessage(e)), e));
    }

    private static void ok(String call, Answer a) {
        if (a.status() / 100 != 2) {
            throw new DiscoveryCallException(call, a.status(), "answered " + a.status() + " " + a.text(), null);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
