package io.skychat.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.skychat.core.ChatEvent;
import io.skychat.core.EventHub;
import io.skychat.core.HistoryStore;
import io.netty.channel.Channel;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /sse}: upstream's event stream, byte for byte ({@code : connected}, {@code id: …},
 * {@code data: …}, {@code : ping}), with replay and {@code Last-Event-ID} resume. Written by hand
 * because Spring's encoder omits the space after the field colon that upstream clients print.
 */
@RestController
class StreamController implements DisposableBean {

    private static final byte[] CONNECTED = ": connected\n\n".getBytes(StandardCharsets.UTF_8);

    private final EventHub hub;
    private final HistoryStore history;
    private final Duration pingInterval;
    private final int seed;
    private final StreamSlots slots;
    /** One timer for every stream: each beat pings the streams that were idle since the last one. */
    private final Disposable beat;

    StreamController(EventHub hub, HistoryStore history, StreamSettings settings, ApiSettings api, StreamSlots slots) {
        this.hub = hub;
        this.history = history;
        this.pingInterval = settings.pingInterval();
        this.seed = api.historySeed();
        this.slots = slots;
        this.beat = Schedulers.parallel().schedulePeriodically(hub::heartbeat, pingInterval.toNanos(),
                pingInterval.toNanos(), TimeUnit.NANOSECONDS);
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
        // A client resuming with Last-Event-ID has seen the history already: only a new one is seeded.
        Flux<byte[]> seed = lastEventId == null || lastEventId.isBlank() ? seed() : Flux.empty();
        Flux<Mono<DataBuffer>> prefix = Flux.concat(seed, Mono.just(CONNECTED))
                .map(bytes -> Mono.just(response.bufferFactory().wrap(bytes)));
        Channel channel = StreamingResponses.channel(response);
        if (channel == null) {
            Flux<Mono<DataBuffer>> live = Flux.defer(() -> {
                SseSubscriber subscriber = new SseSubscriber(StreamingResponses.ELSEWHERE);
                Disposable registration = hub.register(lastEventId, subscriber);
                return subscriber.frames().doFinally(signal -> registration.dispose());
            }).map(bytes -> Mono.just(response.bufferFactory().wrap(bytes)));
            return StreamingResponses.writeGroups(response, slot, Flux.concat(prefix, live));
        }
        // Once the prefix is written, the stream joins the hub and is written straight from its event loop:
        // the hub hands each event to all streams on a loop in one task, as the frame it rendered once, and
        // pings come from the hub's one shared beat. This last group writes nothing itself and ends with the
        // connection.
        Mono<DataBuffer> live = Mono.defer(() -> {
            ChannelSseSubscriber subscriber = ChannelSseSubscriber.on(channel, StreamingResponses.chunked(response));
            Disposable registration = hub.register(lastEventId, subscriber);
            return Mono.<DataBuffer>never().doFinally(signal -> registration.dispose());
        });
        // The groups never complete either: the stream's end is its connection's (which frees its slot).
        return StreamingResponses.writeGroups(response, slot, Flux.concat(prefix, Mono.just(live), Flux.never()));
    }

    /** Stops the shared ping timer. */
    @Override
    public void destroy() {
        beat.dispose();
    }

    /** Upstream seeds a new client with recent history rows before {@code : connected}. */
    private Flux<byte[]> seed() {
        if (!history.enabled() || seed == 0) {
            return Flux.empty();
        }
        return history.history(null, seed).flatMapIterable(rows -> rows)
                .map(m -> ("data: " + SseEvents.seedJson(m) + "\n\n").getBytes(StandardCharsets.UTF_8))
                .onErrorResume(e -> Flux.empty());
    }

    static String frame(ChatEvent event) {
        return "id: " + event.id() + "\ndata: " + SseEvents.json(event) + "\n\n";
    }

}
