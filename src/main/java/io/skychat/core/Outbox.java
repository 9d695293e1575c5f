package io.skychat.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Store-and-forward delivery. Every accepted message is in the {@link OutboxStore} before the user hears
 * back; one courier per peer then writes the queue in order, strictly one write after another, keeps up
 * to {@link Settings#window()} messages waiting for their chat-ack, and on any failure starts again from
 * the oldest unacknowledged message after a backoff (2 s → 2 min, then 5 min → 6 h). The receiver drops
 * the repeats, so each message shows up once and in order.
 */
public final class Outbox {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    /** Writes one envelope to a peer over a network (with its own redial and fallback), reporting the link used. */
    @FunctionalInterface
    public interface Delivery {
        Mono<ChatLink> deliver(TransportKind network, PeerKey peer, Envelope envelope);
    }

    public record Settings(Duration expiry, int window, Duration ackTimeout) {
        public Settings {
            if (window < 1) {
                throw new IllegalArgumentException("window must be positive");
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofHours(48), 32, Duration.ofSeconds(15));
        }
    }

    private final OutboxStore store;
    private final Delivery delivery;
    private final EventHub hub;
    private final ChatCounters counters;
    private final Clock clock;
    private final Scheduler timer;
    private final Settings settings;
    private final Map<PeerKey, Courier> couriers = new ConcurrentHashMap<>();

    public Outbox(OutboxStore store, Delivery delivery, EventHub hub, ChatCounters counters, Clock clock,
                  Scheduler timer, Settings settings) {
        this.store = store;
        this.delivery = delivery;
        this.hub = hub;
        this.counters = counters;
        this.clock = clock;
        this.timer = timer;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Resumes what an earlier run left undelivered. */
    public Mono<Void> resume() {
        return store.pending().doOnNext(entries -> {
            entries.forEach(this::handOver);
            if (!entries.isEmpty()) {
                log.info("resuming {} undelivered message(s) for {} peer(s)", entries.size(),
                        entries.stream().map(OutboxEntry::peer).distinct().count());
            }
            couriers.values().forEach(Courier::pump);
        }).then();
    }

    /**
     * Persists, then hands the message to its peer's courier. Runs to the end even if the caller goes away
     * (an HTTP client hanging up): a message that reached the store must also reach its courier.
     */
    public Mono<Void> enqueue(OutboxEntry entry) {
        Mono<Void> persisted = store.enqueue(entry).doOnSuccess(v -> handOver(entry)).cache();
        persisted.subscribe(null, e -> { }); // the caller sees the error through its own subscription
        return persisted;
    }

    /** A chat-ack arrived; true when it acknowledged something still queued. */
    public Mono<Boolean> acknowledged(PeerKey peer, MessageId id) {
        Courier c = couriers.get(peer);
        boolean queued = c != null && c.acked(id);
        if (!queued) {
            return Mono.just(false);
        }
        return store.acknowledged(peer, id).thenReturn(true);
    }

    /** A link to the peer came up: whatever was waiting goes now, without sitting out the backoff. */
    public void linkUp(PeerKey peer) {
        Courier c = couriers.get(peer);
        if (c != null) {
            c.linkUp();
        }
    }

    /**
     * A link closed: whatever was written over it and not acknowledged may be lost with it, so start over
     * from the oldest (the receiver drops repeats) once a link is back or the backoff runs out. Messages
     * written over other links to the peer are not affected.
     */
    public void linkDown(ChatLink link) {
        Courier c = couriers.get(link.peer());
        if (c != null) {
            c.linkDown(link);
        }
    }

    /** Marks messages older than the expiry as failed. */
    public Mono<Void> expire() {
        return store.expiredBy(clock.instant()).flatMapIterable(l -> l)
                .concatMap(e -> {
                    Courier c = couriers.get(e.peer());
                    if (c != null && c.remove(e.id())) {
                        retireIfIdle(c);
                    }
                    counters.outboundFailures.incrementAndGet();
                    return store.expired(e.peer(), e.id()).doOnSuccess(v -> hub.publish(
                            new ChatEvent.DeliveryStatus(e.id(), DeliveryState.FAILED, e.peer(), clock.instant())));
                })
                .then();
    }

    public int queued() {
        return couriers.values().stream().mapToInt(Courier::size).sum();
    }

    /** Couriers tracked right now: one per peer with something queued, none for peers with nothing. */
    int couriers() {
        return couriers.size();
    }

    /** Queues {@code entry} on its peer's courier, creating it; atomic with {@link #retireIfIdle}. */
    private void handOver(OutboxEntry entry) {
        Courier c = couriers.compute(entry.peer(), (peer, existing) -> {
            Courier courier = existing != null ? existing : new Courier(peer);
            courier.append(entry);
            return courier;
        });
        c.pump();
    }

    /** Forgets a courier with nothing left to deliver, so the map does not grow with every key ever seen. */
    private void retireIfIdle(Courier c) {
        couriers.computeIfPresent(c.peer, (peer, existing) -> existing == c && c.idleAndStopped() ? null : existing);
    }

    /** Backoff after {@code failures} consecutive failures: 2 s doubling to 2 min, then 5 min doubling to 6 h. */
    static Duration backoff(int failures) {
        if (failures <= 7) {
            return Duration.ofSeconds(Math.min(120, 2L << (failures - 1)));
        }
        long minutes = 5L << Math.min(20, failures - 8);
        return Duration.ofMinutes(Math.min(360, minutes));
    }

    /** One peer's queue. All state is guarded by the courier's monitor; I/O happens outside it. */
    private final class Courier {

        private final PeerKey peer;
        private final ArrayDeque<OutboxEntry> queue = new ArrayDeque<>();
        private final java.util.Set<MessageId> sentOnce = new java.util.HashSet<>();
        /** When and over which link each written, unacknowledged message went (timer milliseconds). */
        private final Map<MessageId, Long> writtenAt = new java.util.HashMap<>();
        private final Map<MessageId, ChatLink> writtenOver = new java.util.HashMap<>();
        private int written;
        private boolean writing;
        private int failures;
        private boolean waiting;
        private Disposable retry;
        private Disposable ackTimer;
        private long epoch;

        Courier(PeerKey peer) {
            this.peer = peer;
        }

        synchronized int size() {
            return queue.size();
        }

        synchronized void append(OutboxEntry entry) {
            queue.addLast(entry);
        }

        /** True (and the timers cancelled) when nothing is queued or in flight; called while retiring the courier. */
        synchronized boolean idleAndStopped() {
            if (!queue.isEmpty() || writing) {
                return false;
            }
            if (retry != null) {
                retry.dispose();
            }
            if (ackTimer != null) {
                ackTimer.dispose();
            }
            return true;
        }

        boolean acked(MessageId id) {
            boolean found;
            boolean unannounced;
            synchronized (this) {
                unannounced = !sentOnce.contains(id);
                found = remove(id);
                if (found) {
                    failures = 0;
                }
            }
            if (found && unannounced) {
                // The ack overtook the write callback: it was written all the same, so it passes through "sent".
                announceSent(id, null);
            }
            if (found) {
                pump();
                Outbox.this.retireIfIdle(this);
            }
            return found;
        }

        synchronized boolean remove(MessageId id) {
            int index = 0;
            for (Iterator<OutboxEntry> it = queue.iterator(); it.hasNext(); index++) {
                if (it.next().id().equals(id)) {
                    it.remove();
                    sentOnce.remove(id);
                    writtenAt.remove(id);
                    writtenOver.remove(id);
                    if (index < written) {
                        written--;
                        // Only the oldest written message's deadline is watched: an ack for a later one
                        // says nothing about it, so the timer moves on only when the oldest is done.
                        if (index == 0) {
                            armAckTimer();
                        }
                    }
                    return true;
                }
            }
            return false;
        }

        void linkUp() {
            synchronized (this) {
                if (!waiting) {
                    return;
                }
                if (retry != null) {
                    retry.dispose();
                }
                waiting = false;
                written = 0; // what went out on the old link may be lost: start again from the oldest
                epoch++;
            }
            pump();
        }

        void linkDown(ChatLink link) {
            synchronized (this) {
                if (written == 0 || waiting || !writtenOver.containsValue(link)) {
                    return;
                }
                startOver();
                scheduleRetry(backoff(++failures));
            }
        }

        void pump() {
            OutboxEntry next;
            long attemptEpoch;
            synchronized (this) {
                if (writing || waiting || written >= Math.min(queue.size(), settings.window())) {
                    return;
                }
                next = nth(written);
                writing = true;
                attemptEpoch = epoch;
            }
            TransportKind network = next.network();
            delivery.deliver(network, peer, next.envelope()).subscribe(
                    link -> written(next, link, attemptEpoch),
                    error -> failed(next, attemptEpoch, error));
        }

        private OutboxEntry nth(int n) {
            Iterator<OutboxEntry> it = queue.iterator();
            for (int i = 0; i < n; i++) {
                it.next();
            }
            return it.next();
        }

        private void written(OutboxEntry entry, ChatLink link, long attemptEpoch) {
            boolean first = false;
            synchronized (this) {
                writing = false;
                // After a reset (new epoch) this write no longer counts: pump() starts over from the oldest.
                // Its ack may also have overtaken this callback and removed it already: then it is not
                // among the written-but-unacknowledged head of the queue and must not be counted there.
                if (attemptEpoch == epoch && queue.contains(entry)) {
                    written++;
                    writtenAt.put(entry.id(), timer.now(java.util.concurrent.TimeUnit.MILLISECONDS));
                    writtenOver.put(entry.id(), link);
                    first = sentOnce.add(entry.id()); // counted and announced once, however often it is resent
                    if (written == 1) {
                        armAckTimer();
                    }
                }
            }
            if (first) {
                announceSent(entry.id(), link.kind());
            }
            pump();
            Outbox.this.retireIfIdle(this);
        }

        /** Counts the message as written and moves it to "sent", once per message. */
        private void announceSent(MessageId id, TransportKind network) {
            counters.sent(clock.instant());
            hub.publish(new ChatEvent.DeliveryStatus(id, DeliveryState.SENT, peer, clock.instant()));
            store.attempted(id, network).subscribe(null, e -> log.warn("outbox: {}", e.getMessage()));
        }

        private void failed(OutboxEntry entry, long attemptEpoch, Throwable error) {
            Duration delay;
            synchronized (this) {
                writing = false;
                if (attemptEpoch == epoch) {
                    startOver();
                    delay = backoff(++failures);
                    scheduleRetry(delay);
                } else {
                    delay = null; // a reset already started over: this failure is about a write that no longer counts
                }
            }
            if (delay == null) {
                pump(); // outside the monitor: pump starts a write
                return;
            }
            log.debug("outbox: {} to {} not delivered ({}); retrying in {}", entry.id(), peer, error.getMessage(), delay);
        }

        /** Caller holds the monitor. */
        private void startOver() {
            written = 0;
            writtenAt.clear();
            writtenOver.clear();
            waiting = true;
            epoch++;
            if (ackTimer != null) {
                ackTimer.dispose();
            }
        }

        /** Caller holds the monitor. */
        private void scheduleRetry(Duration delay) {
            if (retry != null) {
                retry.dispose();
            }
            retry = timer.schedule(() -> {
                synchronized (this) {
                    waiting = false;
                }
                pump();
            }, delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /**
         * Caller holds the monitor. Watches the oldest written message: no ack for it within the ack timeout
         * of its own write means the path is dead, whatever acks later messages got.
         */
        private void armAckTimer() {
            if (ackTimer != null) {
                ackTimer.dispose();
                ackTimer = null;
            }
            if (written == 0) {
                return;
            }
            Long since = writtenAt.get(queue.peekFirst().id());
            long now = timer.now(java.util.concurrent.TimeUnit.MILLISECONDS);
            long delay = Math.max(0, (since == null ? now : since) + settings.ackTimeout().toMillis() - now);
            long armedEpoch = epoch;
            ackTimer = timer.schedule(() -> {
                synchronized (this) {
                    // A write still in flight is disowned by the new epoch and its callback ignored.
                    if (armedEpoch != epoch || written == 0) {
                        return;
                    }
                    log.debug("outbox: no ack from {} within {}; resending", peer, settings.ackTimeout());
                    counters.outboundRetries.incrementAndGet();
                    startOver();
                    scheduleRetry(backoff(++failures));
                }
            }, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }
}
