package io.skychat.api;

import java.time.Duration;

import io.skychat.core.EventHub;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** {@code GET /sse}: upstream's event stream, with replay, keep-alive pings and {@code Last-Event-ID} resume. */
@RestController
class StreamController {

    private final EventHub hub;
    private final Duration pingInterval;

    StreamController(EventHub hub, StreamSettings settings) {
        this.hub = hub;
        this.pingInterval = settings.pingInterval();
    }

    @GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> sse(@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        Flux<ServerSentEvent<String>> events = hub.subscribe(lastEventId)
                .map(e -> ServerSentEvent.builder(SseEvents.json(e)).id(e.id()).build());
        // Pings are only a keep-alive: a slow client misses some rather than buffering them.
        Flux<ServerSentEvent<String>> pings = Flux.interval(pingInterval).onBackpressureDrop()
                .map(i -> ServerSentEvent.<String>builder().comment(" ping").build());
        return Flux.concat(Flux.just(ServerSentEvent.<String>builder().comment(" connected").build()),
                Flux.merge(events, pings));
    }
}
