package io.skychat.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;

import io.skychat.core.EventHub;
import io.skychat.core.Published;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One {@code /sse} stream as the hub sees it. Served on its connection's event loop, so the frame the hub
 * rendered once is written from there without another hop, and its state needs no lock. Its live buffer
 * holds {@value EventHub#SUBSCRIBER_BUFFER} frames: past that a client that does not read loses events
 * (counted by the hub) rather than holding memory or others back.
 */
final class SseSubscriber implements EventHub.Subscriber {

    /** The frame upstream writes per event: {@code id:} then {@code data:} with its JSON. */
    static final Published.Format<byte[]> FRAME = new Published.Format<>("sse-frame",
            event -> StreamController.frame(event).getBytes(StandardCharsets.UTF_8));
    static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.UTF_8);

    private final Executor executor;
    private final Sinks.One<List<Published>> backlog = Sinks.one();
    private final Sinks.Many<byte[]> live = Sinks.many().unicast()
            .onBackpressureBuffer(Queues.<byte[]>get(EventHub.SUBSCRIBER_BUFFER).get());
    private boolean wroteSinceBeat; // executor only

    SseSubscriber(Executor executor) {
        this.executor = executor;
    }

    @Override
    public Executor executor() {
        return executor;
    }

    @Override
    public Published.Format<?> format() {
        return FRAME;
    }

    @Override
    public void start(List<Published> events) {
        backlog.tryEmitValue(events);
    }

    @Override
    public boolean deliver(Published event) {
        wroteSinceBeat = true;
        Sinks.EmitResult result = live.tryEmitNext(event.rendered(FRAME));
        // A full buffer answers "zero subscriber" while its stream has not subscribed yet: a drop all the same.
        return result != Sinks.EmitResult.FAIL_OVERFLOW && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER;
    }

    /** A ping only to a stream that has been quiet for a beat; a full buffer just misses it. */
    @Override
    public void heartbeat() {
        if (!wroteSinceBeat) {
            live.tryEmitNext(PING);
        }
        wroteSinceBeat = false;
    }

    /** The replayed frames, then live frames and pings. */
    Flux<byte[]> frames() {
        return backlog.asMono().flatMapMany(Flux::fromIterable).map(p -> p.rendered(FRAME))
                .concatWith(live.asFlux());
    }
}
