package io.skychat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.skychat.store.PersistenceSettings;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteMessageStore;
import io.skychat.support.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The courier's ordering rules against a real (in-memory) store. The network is the edge here: each
 * write is a sink the test completes or fails when it chooses, so races are played out deterministically.
 */
class OutboxTests {

    private static final Duration T = Duration.ofSeconds(10);
    private static final PeerKey ALICE = PeerKey.parse(Keys.ALICE_PK);
    private static final PeerKey BOB = PeerKey.parse(Keys.BOB_PK);

    private final SqliteDatabase db = SqliteDatabase.openNow(null);
    private final SqliteMessageStore store = new SqliteMessageStore(db, ALICE, new PersistenceSettings(true, null,
            4096, 0, 500, 1 << 20, Duration.ZERO, Set.of(), 0), Clock.systemUTC());
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final List<Sinks.Empty<Void>> pending = new CopyOnWriteArrayList<>();
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final ChatCounters counters = new ChatCounters();
    private final EventHub hub = new EventHub(counters);
    private final List<ChatEvent> published = new CopyOnWriteArrayList<>();

    private final MemoryTransport.Net net = new MemoryTransport.Net(TransportKind.TCP_DIRECT);
    private final MemoryTransport alice = net.join(ALICE);
    private final MemoryTransport bob = net.join(BOB);
    /** The link the next writes report they went over; a test can switch it. */
    private volatile ChatLink current = alice.dial(BOB, Transport.CHAT_PORT).block(T);

    {
        hub.addListener(published::add);
    }
    private final Outbox outbox = new Outbox(store, (network, peer, envelope) -> {
        writes.add(((Envelope.ChatMsg) envelope).body());
        Sinks.Empty<Void> done = Sinks.empty();
        pending.add(done);
        ChatLink over = current;
        return done.asMono().thenReturn(over);
    }, hub, counters, Clock.systemUTC(), time, Outbox.Settings.defaults());

    @AfterEach
    void close() {
        db.close();
        time.dispose();
    }

    private OutboxEntry entry(int n) {
        Instant now = Instant.now();
        return new OutboxEntry(new MessageId(String.format("%016x", n)), BOB, "m" + n, null, TransportKind.TCP_DIRECT,
                now, now.plus(Duration.ofHours(48)), 0);
    }

    private void completeWrite(int index) {
        pending.get(index).tryEmitEmpty();
    }

    @Test
    void writesOneAfterAnotherInAcceptanceOrder() {
        for (int i = 1; i <= 3; i++) {
            outbox.enqueue(entry(i)).block(T);
        }
        assertThat(writes).containsExactly("m1"); // the next write waits for this one
        completeWrite(0);
        completeWrite(1);
        await().atMost(T).until(() -> writes.size() == 3);
        assertThat(writes).containsExactly("m1", "m2", "m3");
    }

    @Test
    void anAckThatOvertakesItsWriteCallbackSkipsNothing() {
        for (int i = 1; i <= 3; i++) {
            outbox.enqueue(entry(i)).block(T);
        }
        assertThat(outbox.acknowledged(BOB, entry(1).id()).block(T)).isTrue(); // the peer answered first
        assertThat(counters.outboundMessages.get()).isEqualTo(1); // counted at the ack: it was written
        completeWrite(0); // only now does the write of m1 report back
        assertThat(counters.outboundMessages.get()).isEqualTo(1); // and not counted twice
        // it still went through "sent", exactly once
        assertThat(published)
                .filteredOn(e -> e instanceof ChatEvent.DeliveryStatus s && s.state() == DeliveryState.SENT)
                .extracting(ChatEvent::id).containsExactly(entry(1).id().value() + ":sent");
        await().atMost(T).until(() -> writes.size() == 2);
        assertThat(writes).containsExactly("m1", "m2");
        completeWrite(1);
        await().atMost(T).until(() -> writes.size() == 3);
        assertThat(writes).containsExactly("m1", "m2", "m3");
    }

    @Test
    void aFailedWriteStartsOverFromTheOldestUnacknowledgedAfterTheBackoff() {
        for (int i = 1; i <= 3; i++) {
            outbox.enqueue(entry(i)).block(T);
        }
        completeWrite(0);
        await().atMost(T).until(() -> writes.size() == 2);
        pending.get(1).tryEmitError(TransportException.linkClosed(BOB, TransportKind.TCP_DIRECT));
        time.advanceTimeBy(Duration.ofMillis(1999));
        assertThat(writes).hasSize(2); // still backing off
        time.advanceTimeBy(Duration.ofMillis(1));
        await().atMost(T).until(() -> writes.size() == 3);
        assertThat(writes).containsExactly("m1", "m2", "m1"); // m1 was never acknowledged: it goes again first
        completeWrite(2);
        assertThat(counters.outboundMessages.get()).isEqualTo(1); // a resend is not a new message
    }

    @Test
    void aNewLinkEndsTheBackoffAtOnce() {
        outbox.enqueue(entry(1)).block(T);
        pending.get(0).tryEmitError(TransportException.linkClosed(BOB, TransportKind.TCP_DIRECT));
        outbox.linkUp(BOB);
        await().atMost(T).until(() -> writes.size() == 2);
        assertThat(outbox.queued()).isEqualTo(1);
    }

    @Test
    void aMissingAckMeansResendAfterTheAckTimeout() {
        outbox.enqueue(entry(1)).block(T);
        completeWrite(0);
        time.advanceTimeBy(Outbox.Settings.defaults().ackTimeout().plus(Outbox.backoff(1)));
        await().atMost(T).until(() -> writes.size() == 2);
        assertThat(writes).containsExactly("m1", "m1");
    }

    @Test
    void expiredMessagesFailAndLeaveTheQueue() {
        Instant past = Instant.now().minus(Duration.ofHours(49));
        OutboxEntry old = new OutboxEntry(new MessageId("00000000000000ee"), BOB, "stale", null, TransportKind.TCP_DIRECT,
                past, past.plus(Duration.ofHours(48)), 0);
        outbox.enqueue(old).block(T);
        outbox.expire().block(T);
        assertThat(outbox.queued()).isZero();
        assertThat(store.history(BOB, 1).block(T).get(0).status()).isEqualTo(DeliveryState.FAILED);
        assertThat(store.pending().block(T)).isEmpty();
    }

    @Test
    void aLostAckForTheOldestIsNoticedWhileLaterAcksKeepArriving() {
        for (int i = 1; i <= 3; i++) {
            outbox.enqueue(entry(i)).block(T);
            completeWrite(i - 1);
        }
        await().atMost(T).until(() -> writes.size() == 3);
        Duration timeout = Outbox.Settings.defaults().ackTimeout();
        time.advanceTimeBy(timeout.minusSeconds(10));
        outbox.acknowledged(BOB, entry(2).id()).block(T); // later messages are acked, m1's ack was lost
        time.advanceTimeBy(Duration.ofSeconds(5));
        outbox.acknowledged(BOB, entry(3).id()).block(T);
        time.advanceTimeBy(Duration.ofSeconds(5)); // m1's own ack timeout is over
        time.advanceTimeBy(Outbox.backoff(1));
        await().atMost(T).until(() -> writes.size() == 4);
        assertThat(writes).containsExactly("m1", "m2", "m3", "m1");
        assertThat(counters.outboundRetries.get()).isEqualTo(1);
    }

    @Test
    void aClosedLinkRestartsOnlyWhatWasWrittenOverIt() {
        ChatLink first = current;
        outbox.enqueue(entry(1)).block(T);
        completeWrite(0);
        current = alice.dial(BOB, Transport.CHAT_PORT).block(T); // a newer link takes over
        outbox.enqueue(entry(2)).block(T);
        await().atMost(T).until(() -> writes.size() == 2);
        completeWrite(1);
        outbox.acknowledged(BOB, entry(1).id()).block(T);
        outbox.linkDown(first); // m1 was acked and m2 went over the new link: nothing to resend
        time.advanceTimeBy(Outbox.backoff(1).multipliedBy(3)); // well past a backoff, short of the ack timeout
        assertThat(writes).containsExactly("m1", "m2");
        outbox.linkDown(current); // m2 went over this one and is not acked: it goes again
        time.advanceTimeBy(Outbox.backoff(1));
        await().atMost(T).until(() -> writes.size() == 3);
        assertThat(writes).containsExactly("m1", "m2", "m2");
    }

    @Test
    void aPeerWithNothingQueuedLeavesNoCourierBehind() {
        outbox.enqueue(entry(1)).block(T);
        assertThat(outbox.couriers()).isEqualTo(1);
        completeWrite(0);
        outbox.acknowledged(BOB, entry(1).id()).block(T);
        assertThat(outbox.couriers()).isZero();
        outbox.enqueue(entry(2)).block(T); // and a new message finds a fresh courier
        await().atMost(T).until(() -> writes.size() == 2);
        assertThat(outbox.couriers()).isEqualTo(1);
    }
}
