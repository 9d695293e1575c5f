package io.skychat.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * Fans chat events out to live subscribers. A new subscriber first gets the last {@value #REPLAY_SIZE}
 * events (clients deduplicate by id), then live events through its own buffer of
 * {@value #SUBSCRIBER_BUFFER}; when that buffer is full the event is dropped for that subscriber only and
 * counted, so one stalled client never holds back the others.
 */
public final class EventHub {

    public static final int REPLAY_SIZE = 256;
    public static final int SUBSCRIBER_BUFFER = 64;

    private final ChatCounters counters;
    private final ArrayDeque<ChatEvent> replay = new ArrayDeque<>(REPLAY_SIZE);
    private final Set<Sinks.Many<ChatEvent>> subscribers = new LinkedHashSet<>();
    private final List<java.util.function.Consumer<ChatEvent>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public EventHub(ChatCounters counters) {
        this.counters = counters;
    }

    /** Also hands every event to {@code listener} (the /events log), in publication order. */
    public void addListener(java.util.function.Consumer<ChatEvent> listener) {
        listeners.add(listener);
    }

    public void publish(ChatEvent event) {
        // One lock orders replay and fan-out, and serializes emissions into each unicast sink.
        synchronized (this) {
            listeners.forEach(l -> l.accept(event));
            if (replay.size() == REPLAY_SIZE) {
                replay.removeFirst();
            }
            replay.addLast(event);
            if (subscribers.isEmpty()) {
                counters.sseDrops.incrementAndGet(); // upstream counts "nobody was listening" as a drop
                return;
            }
            for (Sinks.Many<ChatEvent> sink : subscribers) {
                if (sink.tryEmitNext(event).isFailure()) {
                    counters.sseDrops.incrementAndGet();
                }
            }
        }
    }

    /**
     * Replay then live events. With {@code lastEventId} set and still in the replay window, only the
     * events after it are replayed, so a reconnecting client resumes without duplicates.
     */
    public Flux<ChatEvent> subscribe(String lastEventId) {
        return Flux.defer(() -> {
            Sinks.Many<ChatEvent> sink = Sinks.many().unicast()
                    .onBackpressureBuffer(Queues.<ChatEvent>get(SUBSCRIBER_BUFFER).get());
            List<ChatEvent> backlog;
            synchronized (this) {
                backlog = replayAfter(lastEventId);
                subscribers.add(sink);
            }
            return Flux.concat(Flux.fromIterable(backlog), sink.asFlux())
                    .doFinally(signal -> {
                        synchronized (this) {
                            subscribers.remove(sink);
                        }
                    });
        });
    }

    public synchronized int subscriberCount() {
        return subscribers.size();
    }

    private List<ChatEvent> replayAfter(String lastEventId) {
        List<ChatEvent> all = new ArrayList<>(replay);
        if (lastEventId == null || lastEventId.isBlank()) {
            return all;
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).id().equals(lastEventId)) {
                return all.subList(i + 1, all.size());
            }
        }
        return all;
    }
}
