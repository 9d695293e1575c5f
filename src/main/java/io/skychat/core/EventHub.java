package io.skychat.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * Fans chat events out to live subscribers. A new subscriber first gets the last {@value #REPLAY_SIZE}
 * events (clients deduplicate by id), then live events through its own buffer of
 * {@value #SUBSCRIBER_BUFFER}; when that buffer is full the event is dropped for that subscriber only and
 * counted, so one stalled client never holds back the others.
 *
 * <p>Publishing never blocks and never fails: the replay window and the subscriber set are touched only by
 * tasks of one {@link SerialExecutor}, so fan-out holds no lock and emissions into each subscriber's sink
 * are serialized without one.
 */
public final class EventHub {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    public static final int REPLAY_SIZE = 256;
    public static final int SUBSCRIBER_BUFFER = 64;

    private final ChatCounters counters;
    private final SerialExecutor serial = new SerialExecutor();
    private final ArrayDeque<Published> replay = new ArrayDeque<>(REPLAY_SIZE); // serial tasks only
    private final List<Sinks.Many<Published>> subscribers = new ArrayList<>(); // serial tasks only
    private final AtomicInteger subscriberCount = new AtomicInteger();
    private final List<Consumer<ChatEvent>> listeners = new CopyOnWriteArrayList<>();

    public EventHub(ChatCounters counters) {
        this.counters = counters;
    }

    /** Also hands every event to {@code listener} (the /events log), on the publishing thread. */
    public void addListener(Consumer<ChatEvent> listener) {
        listeners.add(listener);
    }

    /** Never throws: a message that is already persisted must not be reported failed because of its event. */
    public void publish(ChatEvent event) {
        for (Consumer<ChatEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("event {} not recorded: {}", event.id(), e.toString());
            }
        }
        Published published = new Published(event);
        serial.execute(() -> fanOut(published));
    }

    private void fanOut(Published event) {
        if (replay.size() == REPLAY_SIZE) {
            replay.removeFirst();
        }
        replay.addLast(event);
        if (subscribers.isEmpty()) {
            counters.sseDrops.incrementAndGet(); // upstream counts "nobody was listening" as a drop
            return;
        }
        for (Sinks.Many<Published> sink : subscribers) {
            if (sink.tryEmitNext(event) == Sinks.EmitResult.FAIL_OVERFLOW) {
                counters.sseDrops.incrementAndGet();
            }
        }
    }

    /** {@link #stream} without the rendering cache. */
    public Flux<ChatEvent> subscribe(String lastEventId) {
        return stream(lastEventId).map(Published::event);
    }

    /**
     * Replay then live events. With {@code lastEventId} set and still in the replay window, only the
     * events after it are replayed, so a reconnecting client resumes without duplicates.
     */
    public Flux<Published> stream(String lastEventId) {
        return Flux.defer(() -> {
            Sinks.Many<Published> sink = Sinks.many().unicast()
                    .onBackpressureBuffer(Queues.<Published>get(SUBSCRIBER_BUFFER).get());
            Sinks.One<List<Published>> backlog = Sinks.one();
            // Snapshot and registration are one task, so no event falls between the replay and live events.
            serial.execute(() -> {
                backlog.tryEmitValue(replayAfter(lastEventId));
                subscribers.add(sink);
                subscriberCount.incrementAndGet();
            });
            return backlog.asMono().flatMapMany(Flux::fromIterable).concatWith(sink.asFlux())
                    .doFinally(signal -> serial.execute(() -> {
                        if (subscribers.remove(sink)) {
                            subscriberCount.decrementAndGet();
                        }
                    }));
        });
    }

    public int subscriberCount() {
        return subscriberCount.get();
    }

    private List<Published> replayAfter(String lastEventId) {
        List<Published> all = new ArrayList<>(replay);
        if (lastEventId == null || lastEventId.isBlank()) {
            return all;
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).event().id().equals(lastEventId)) {
                return new ArrayList<>(all.subList(i + 1, all.size()));
            }
        }
        return all;
    }
}
