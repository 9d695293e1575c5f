package io.skychat.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * Fans chat events out to live subscribers. A new subscriber first gets the last {@value #REPLAY_SIZE}
 * events (clients deduplicate by id), then live events through its own buffer of
 * {@value #SUBSCRIBER_BUFFER}; when that buffer is full the event is dropped for that subscriber only and
 * counted, so one stalled client never holds back the others.
 *
 * <p>Publishing never blocks and never fails: it hands the event to the hub's fan-out thread and returns, so
 * the store thread that committed the message does not pay for the subscribers. There the replay window and
 * the subscriber set are touched only by tasks of one {@link SerialExecutor} (no lock); each event is rendered
 * once per wire form its subscribers use, and handed to them from a copy-on-write snapshot as one task per
 * {@link Subscriber#executor() executor} (an HTTP stream's event loop), not one hop per subscriber. Events
 * that come while an executor's task is still waiting to run join that task, so a loop that falls behind
 * catches up in batches, each ended by one {@link Subscriber#endOfBatch()} per subscriber (one flush).
 */
public final class EventHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    public static final int REPLAY_SIZE = 256;
    public static final int SUBSCRIBER_BUFFER = 64;
    private static final Executor INLINE = Runnable::run;

    /**
     * One live subscriber. Everything the hub calls on it runs on its {@link #executor()}, in order:
     * {@link #start} once, then {@link #deliver} per event (each run of them followed by {@link #endOfBatch})
     * and {@link #heartbeat} per beat of the shared keep-alive timer, so it needs no lock of its own.
     */
    public interface Subscriber {

        /**
         * Where it is served; subscribers sharing one executor are served by one task per event between them,
         * or one for several events when they come faster than the executor runs its tasks.
         */
        Executor executor();

        /** The wire form it writes, rendered by the hub before fan-out; null for none. */
        default Published.Format<?> format() {
            return null;
        }

        /** The replayed events, before any live one. */
        void start(List<Published> backlog);

        /** A live event; false when its buffer was full and the event is dropped for it (counted). */
        boolean deliver(Published event);

        /**
         * After the live events of one task, one or several when they came faster than its executor ran:
         * the moment to flush what {@link #deliver} wrote. Called at least once after them, maybe more.
         */
        default void endOfBatch() {
        }

        /** A beat of {@link EventHub#heartbeat()}: the moment to write a keep-alive if it has been idle. */
        default void heartbeat() {
        }
    }

    /**
     * Subscribers grouped by executor, each group with the mailbox its tasks go through; replaced whole on
     * every change, so a fan-out reads it without a lock.
     */
    private record Snapshot(Mailbox[] boxes, Subscriber[][] members, Published.Format<?>[] formats) {

        static final Snapshot EMPTY = new Snapshot(new Mailbox[0], new Subscriber[0][], new Published.Format<?>[0]);

        boolean isEmpty() {
            return boxes.length == 0;
        }

        /** The mailbox of {@code executor}, or null when none of its subscribers is in this snapshot. */
        Mailbox box(Executor executor) {
            for (Mailbox box : boxes) {
                if (box.executor == executor) {
                    return box;
                }
            }
            return null;
        }

        Snapshot with(Subscriber s, ChatCounters counters) {
            Published.Format<?>[] f = formats;
            if (s.format() != null && !Arrays.asList(f).contains(s.format())) {
                f = Arrays.copyOf(f, f.length + 1);
                f[f.length - 1] = s.format();
            }
            for (int i = 0; i < boxes.length; i++) {
                if (boxes[i].executor == s.executor()) {
                    Subscriber[][] m = members.clone();
                    m[i] = Arrays.copyOf(m[i], m[i].length + 1);
                    m[i][m[i].length - 1] = s;
                    return new Snapshot(boxes, m, f);
                }
            }
            Mailbox[] b = Arrays.copyOf(boxes, boxes.length + 1);
            b[b.length - 1] = new Mailbox(s.executor(), counters);
            Subscriber[][] m = Arrays.copyOf(members, members.length + 1);
            m[m.length - 1] = new Subscriber[] {s};
            return new Snapshot(b, m, f);
        }

        /** Without {@code s}, or this same snapshot when it is not in it. */
        Snapshot without(Subscriber s) {
            for (int i = 0; i < boxes.length; i++) {
                if (boxes[i].executor != s.executor()) {
                    continue;
                }
                Subscriber[] group = members[i];
                for (int j = 0; j < group.length; j++) {
                    if (group[j] != s) {
                        continue;
                    }
                    if (group.length == 1) { // the executor's last subscriber: drop the group and its mailbox
                        Mailbox[] b = new Mailbox[boxes.length - 1];
                        Subscriber[][] m = new Subscriber[members.length - 1][];
                        for (int k = 0, n = 0; k < boxes.length; k++) {
                            if (k != i) {
                                b[n] = boxes[k];
                                m[n++] = members[k];
                            }
                        }
                        return new Snapshot(b, m, formats); // a format no one uses any more costs one render
                    }
                    Subscriber[] g = new Subscriber[group.length - 1];
                    System.arraycopy(group, 0, g, 0, j);
                    System.arraycopy(group, j + 1, g, j, group.length - j - 1);
                    Subscriber[][] m = members.clone();
                    m[i] = g;
                    return new Snapshot(boxes, m, formats);
                }
            }
            return this;
        }
    }

    private final ChatCounters counters;
    private final FanOutThread ownThread;
    private final SerialExecutor serial;
    private final ArrayDeque<Published> replay = new ArrayDeque<>(REPLAY_SIZE); // serial tasks only
    private volatile Snapshot snapshot = Snapshot.EMPTY; // written by serial tasks only
    private final AtomicInteger subscriberCount = new AtomicInteger();
    private final List<Consumer<ChatEvent>> listeners = new CopyOnWriteArrayList<>();

    /** Fans out on a thread of its own; {@link #close()} stops it. */
    public EventHub(ChatCounters counters) {
        this.counters = counters;
        this.ownThread = new FanOutThread("skychat-fanout");
        this.serial = new SerialExecutor(ownThread);
    }

    /** Fans out on {@code fanOut} (one task at a time); {@code Runnable::run} makes publishing synchronous. */
    public EventHub(ChatCounters counters, Executor fanOut) {
        this.counters = counters;
        this.ownThread = null;
        this.serial = new SerialExecutor(fanOut);
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
        Snapshot s = snapshot;
        if (s.isEmpty()) {
            counters.sseDrops.incrementAndGet(); // upstream counts "nobody was listening" as a drop
            return;
        }
        for (Published.Format<?> format : s.formats()) {
            event.rendered(format); // once, here, rather than racing on every event loop
        }
        for (int i = 0; i < s.boxes().length; i++) {
            s.boxes()[i].post(new Delivery(event, s.members()[i]));
        }
    }

    /**
     * Calls {@link Subscriber#heartbeat()} on every subscriber, one task per executor (or as part of the one
     * already waiting there): one shared timer keeps all streams alive instead of a timer each.
     */
    public void heartbeat() {
        serial.execute(() -> { // posted from the fan-out thread like everything else: in order with the events
            Snapshot s = snapshot;
            for (int i = 0; i < s.boxes().length; i++) {
                s.boxes()[i].post(new Beat(s.members()[i]));
            }
        });
    }

    /**
     * Replay then live events to {@code subscriber} until the returned handle is disposed. With
     * {@code lastEventId} set and still in the replay window, only the events after it are replayed, so a
     * reconnecting client resumes without duplicates.
     */
    public Disposable register(String lastEventId, Subscriber subscriber) {
        // Snapshot and registration are one task, so no event falls between the replay and live events; the
        // backlog is handed over on the subscriber's executor before any live event can be.
        serial.execute(() -> {
            List<Published> backlog = replayAfter(lastEventId);
            Published.Format<?> format = subscriber.format();
            if (format != null) {
                backlog.forEach(p -> p.rendered(format));
            }
            Snapshot next = snapshot.with(subscriber, counters);
            next.box(subscriber.executor()).post(new Start(subscriber, backlog)); // before any live event
            snapshot = next;
            subscriberCount.incrementAndGet();
        });
        return new Disposable() {
            private volatile boolean disposed;

            @Override
            public void dispose() {
                disposed = true;
                serial.execute(() -> {
                    Snapshot before = snapshot;
                    Snapshot after = before.without(subscriber);
                    if (after != before) {
                        snapshot = after;
                        subscriberCount.decrementAndGet();
                    }
                });
            }

            @Override
            public boolean isDisposed() {
                return disposed;
            }
        };
    }

    /** {@link #stream} without the rendering cache. */
    public Flux<ChatEvent> subscribe(String lastEventId) {
        return stream(lastEventId).map(Published::event);
    }

    /** {@link #register} as a Flux, served on the fan-out thread. */
    public Flux<Published> stream(String lastEventId) {
        return Flux.defer(() -> {
            SinkSubscriber subscriber = new SinkSubscriber();
            Disposable registration = register(lastEventId, subscriber);
            return subscriber.backlog.asMono().flatMapMany(Flux::fromIterable).concatWith(subscriber.live.asFlux())
                    .doFinally(signal -> registration.dispose());
        });
    }

    public int subscriberCount() {
        return subscriberCount.get();
    }

    /** Stops the fan-out thread, if the hub started one. */
    @Override
    public void close() {
        if (ownThread != null) {
            ownThread.close();
        }
    }

    /** What a mailbox hands its executor: a live event for a group, a new subscriber's backlog, a beat. */
    private record Delivery(Published event, Subscriber[] group) {
    }

    private record Start(Subscriber subscriber, List<Published> backlog) {
    }

    private record Beat(Subscriber[] group) {
    }

    /**
     * What waits to run on one executor, handed to it as one task: whatever is posted while that task has
     * not started yet joins it, in order. Posted to by the fan-out's serial tasks only, so a subscriber served
     * inline runs on that thread alone; the lock guards only the swap of the list, never a call out.
     */
    private static final class Mailbox implements Runnable {

        final Executor executor;
        private final ChatCounters counters;
        private ArrayList<Object> items = new ArrayList<>(); // guarded by this
        private boolean scheduled; // guarded by this

        Mailbox(Executor executor, ChatCounters counters) {
            this.executor = executor;
            this.counters = counters;
        }

        void post(Object item) {
            synchronized (this) {
                items.add(item);
                if (scheduled) {
                    return; // the waiting task takes it too
                }
                scheduled = true;
            }
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                synchronized (this) { // its event loop is shutting down: the streams end with it
                    items.clear();
                    scheduled = false;
                }
            }
        }

        @Override
        public void run() {
            ArrayList<Object> batch;
            synchronized (this) {
                batch = items;
                items = new ArrayList<>();
                scheduled = false;
            }
            int dropped = 0;
            Subscriber[] delivered = null; // the group of the deliveries since the last end of a batch
            for (Object item : batch) {
                if (item instanceof Delivery d) {
                    if (delivered != null && delivered != d.group()) {
                        endOfBatch(delivered); // the group changed: someone joined or left
                    }
                    delivered = d.group();
                    dropped += deliver(d.group(), d.event());
                    continue;
                }
                if (delivered != null) { // what was delivered goes out before a backlog or a ping
                    endOfBatch(delivered);
                    delivered = null;
                }
                if (item instanceof Start start) {
                    try {
                        start.subscriber().start(start.backlog());
                    } catch (RuntimeException e) {
                        log.warn("backlog not handed to a subscriber: {}", e.toString());
                    }
                } else if (item instanceof Beat beat) {
                    for (Subscriber subscriber : beat.group()) {
                        try {
                            subscriber.heartbeat();
                        } catch (RuntimeException e) {
                            log.warn("keep-alive not written to a subscriber: {}", e.toString());
                        }
                    }
                }
            }
            if (delivered != null) {
                endOfBatch(delivered);
            }
            if (dropped > 0) {
                counters.sseDrops.addAndGet(dropped);
            }
        }

        /** How many of {@code group} dropped the event. */
        private int deliver(Subscriber[] group, Published event) {
            int dropped = 0;
            for (Subscriber subscriber : group) {
                try {
                    if (!subscriber.deliver(event)) {
                        dropped++;
                    }
                } catch (RuntimeException e) {
                    log.warn("event {} not delivered to a subscriber: {}", event.event().id(), e.toString());
                }
            }
            return dropped;
        }

        private void endOfBatch(Subscriber[] group) {
            for (Subscriber subscriber : group) {
                try {
                    subscriber.endOfBatch();
                } catch (RuntimeException e) {
                    log.warn("a subscriber's batch not flushed: {}", e.toString());
                }
            }
        }
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

    /** A subscriber served inline on the fan-out thread, into a bounded sink. */
    private static final class SinkSubscriber implements Subscriber {

        final Sinks.One<List<Published>> backlog = Sinks.one();
        final Sinks.Many<Published> live = Sinks.many().unicast()
                .onBackpressureBuffer(Queues.<Published>get(SUBSCRIBER_BUFFER).get());

        @Override
        public Executor executor() {
            return INLINE;
        }

        @Override
        public void start(List<Published> events) {
            backlog.tryEmitValue(events);
        }

        @Override
        public boolean deliver(Published event) {
            Sinks.EmitResult result = live.tryEmitNext(event);
        // A full buffer answers "zero subscriber" while its stream has not subscribed yet: a drop all the same.
        return result != Sinks.EmitResult.FAIL_OVERFLOW && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER;
        }
    }
}
