package io.skychat.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * The structured event log behind {@code GET /events}: every chat event gets the next {@code seq}; the
 * newest {@value #RING_SIZE} (no older than 24 h) are replayed to a consumer resuming with
 * {@code since}. Records are written behind to the journal, so the sequence survives restarts.
 */
public final class EventLog {

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    public static final int RING_SIZE = 10_000;
    public static final Duration MAX_AGE = Duration.ofHours(24);
    static final int SUBSCRIBER_BUFFER = 256;

    private final EventJournal journal;
    private final Executor journalExecutor;
    private final Clock clock;
    private final SerialExecutor serial = new SerialExecutor();
    private final ArrayDeque<Entry> ring = new ArrayDeque<>(); // serial tasks only
    private final List<Subscriber> subscribers = new ArrayList<>(); // serial tasks only
    private volatile long seq;
    private int appendsSinceTrim;
    private final java.util.concurrent.ConcurrentLinkedQueue<EventRecord> unjournaled = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean journalScheduled = new java.util.concurrent.atomic.AtomicBoolean();

    record Subscriber(Set<String> channels, Sinks.Many<Entry> sink) {
    }

    /**
     * A record as handed to every consumer: the same instance for all, so its wire form is rendered by the
     * first stream that writes it and shared by the others rather than rendered per stream.
     */
    public static final class Entry {

        private record Rendering(Function<EventRecord, ?> form, Object value) {
        }

        private final EventRecord record;
        private volatile Rendering rendering;

        Entry(EventRecord record) {
            this.record = record;
        }

        public EventRecord record() {
            return record;
        }

        /** The record in {@code form} (one form per log, e.g. the NDJSON line); declare the form once, as a constant. */
        @SuppressWarnings("unchecked")
        public <T> T rendered(Function<EventRecord, T> form) {
            Rendering r = rendering;
            if (r != null && r.form() == form) {
                return (T) r.value();
            }
            T value = form.apply(record);
            rendering = new Rendering(form, value);
            return value;
        }
    }

    public EventLog(EventJournal journal, Executor journalExecutor, Clock clock) {
        this.journal = journal;
        this.journalExecutor = journalExecutor;
        this.clock = clock;
    }

    /** Loads the newest records from the journal; call once, before the first {@link #record}. */
    public void loadNow() {
        long last = seq;
        for (EventRecord r : journal.loadNow(RING_SIZE)) {
            ring.addLast(new Entry(r));
            last = Math.max(last, r.seq());
        }
        seq = last;
    }

    /**
     * Gives the event the next {@code seq}, fans it out and journals it behind. Never blocks (it runs from
     * event loops): fan-out is a {@link SerialExecutor} task and the journal write is handed off.
     */
    public void record(ChatEvent event) {
        serial.execute(() -> append(event));
    }

    private void append(ChatEvent event) {
        EventRecord record = EventRecord.of(seq + 1, event);
        seq = record.seq();
        if (ring.size() == RING_SIZE) {
            ring.removeFirst();
        }
        Entry entry = new Entry(record);
        ring.addLast(entry);
        for (Subscriber s : subscribers) {
            if (s.channels().contains(record.channel())) {
                s.sink().tryEmitNext(entry); // a full buffer drops; the consumer resumes with ?since=
            }
        }
        unjournaled.add(record);
        if (journalScheduled.compareAndSet(false, true)) {
            try {
                journalExecutor.execute(this::journalPending);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The store is saturated: the live log keeps the records; the next record tries again.
                journalScheduled.set(false);
                log.warn("events not journaled yet: {}", e.getMessage());
            }
        }
    }

    /**
     * Writes everything recorded since the last run in one transaction: under load many events share a
     * commit instead of paying one each. Runs on the journal executor, which is single-threaded.
     */
    private void journalPending() {
        journalScheduled.set(false); // a record arriving from now on schedules another run
        List<EventRecord> batch = new ArrayList<>();
        EventRecord r;
        while ((r = unjournaled.poll()) != null) {
            batch.add(r);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            journal.appendNow(batch);
            appendsSinceTrim += batch.size();
            if (appendsSinceTrim >= 1000) {
                appendsSinceTrim = 0;
                journal.trimNow(RING_SIZE);
            }
        } catch (RuntimeException e) {
            log.warn("{} event(s) not journaled: {}", batch.size(), e.getMessage());
        }
    }

    public long lastSeq() {
        return seq;
    }

    /** Records after {@code since} on the given channels, then live ones. */
    public Flux<EventRecord> since(long since, Set<String> channels) {
        return entriesSince(since, channels).map(Entry::record);
    }

    /** {@link #since} as shared entries, so each record's wire form is rendered once for all streams. */
    public Flux<Entry> entriesSince(long since, Set<String> channels) {
        return Flux.defer(() -> {
            Sinks.Many<Entry> sink = Sinks.many().unicast()
                    .onBackpressureBuffer(Queues.<Entry>get(SUBSCRIBER_BUFFER).get());
            Subscriber subscriber = new Subscriber(Set.copyOf(channels), sink);
            Sinks.One<List<Entry>> backlog = Sinks.one();
            serial.execute(() -> {
                List<Entry> matching = new ArrayList<>();
                Instant oldest = clock.instant().minus(MAX_AGE);
                for (Entry e : ring) {
                    EventRecord r = e.record();
                    if (r.seq() > since && channels.contains(r.channel()) && !r.ts().isBefore(oldest)) {
                        matching.add(e);
                    }
                }
                backlog.tryEmitValue(matching);
                subscribers.add(subscriber);
            });
            return backlog.asMono().flatMapMany(Flux::fromIterable).concatWith(sink.asFlux())
                    .doFinally(s -> serial.execute(() -> subscribers.remove(subscriber)));
        });
    }
}
