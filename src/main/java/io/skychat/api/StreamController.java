package io.skychat.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.skychat.core.ChatEvent;
import io.skychat.core.EventHub;
import io.skychat.core.HistoryStore;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /sse}: upstream's event stream, byte for byte ({@code : connected}, {@code id: …},
 * {@code data: …}, {@code : ping}), with replay and {@code Last-Event-ID} resume. Written by hand
 * because Spring's encoder omits the space after the field colon that upstream clients print.
 */
@RestController
class StreamController {

    private final EventHub hub;
    private final HistoryStore history;
    private final Duration pingInterval;
    private final int seed;
    private final StreamSlots slots;

    StreamController(EventHub hub, HistoryStore history, StreamSettings settings, ApiSettings api, StreamSlots slots) {
        this.hub = hub;
        this.history = history;
        this.pingInterval = settings.pingInterval();
        this.seed = api.historySeed();
        this.slots = slots;
    }

    @GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<Void> sse(@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                   ServerWebExchange exchange) {
        StreamSlots.Slot slot = slots.tryAcquire();
        if (slot == null) {
            return StreamingResponses.refuse(exchange, slots);
        }
        ServerHttpResponse response = exchange.getResponse();
        StreamingResponses.prepare(response, MediaType.TEXT_EVENT_STREAM);
        response.getHeaders().remove(HttpHeaders.CONTENT_LENGTH);
        // Rendered once per event, however many subscribers share it.
        Flux<String> events = hub.stream(lastEventId).map(p -> p.rendered(StreamController::frame));
        // Pings are only a keep-alive: a slow client misses some rather than buffering them.
        Flux<String> pings = Flux.interval(pingInterval).onBackpressureDrop().map(i -> ": ping\n\n");
        // A client resuming with Last-Event-ID has seen the history already: only a new one is seeded.
        Flux<String> seed = lastEventId == null || lastEventId.isBlank() ? seed() : Flux.empty();
        Flux<String> stream = Flux.concat(seed, Mono.just(": connected\n\n"), Flux.merge(events, pings));
        return StreamingResponses.write(response, slot, stream.map(text -> buffer(response, text)));
    }

    /** Upstream seeds a new client with recent history rows before {@code : connected}. */
    private Flux<String> seed() {
        if (!history.enabled() || seed == 0) {
            return Flux.empty();
        }
        return history.history(null, seed).flatMapIterable(rows -> rows)
                .map(m -> "data: " + SseEvents.seedJson(m) + "\n\n")
                .onErrorResume(e -> Flux.empty());
    }

    static String frame(ChatEvent event) {
        return "id: " + event.id() + "\ndata: " + SseEvents.json(event) + "\n\n";
    }

    private static DataBuffer buffer(ServerHttpResponse response, String text) {
        return response.bufferFactory().wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
