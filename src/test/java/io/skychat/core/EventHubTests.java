package io.skychat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

class EventHubTests {

    private static final PeerKey ALICE = PeerKey.parse("024d9ec5ce7916e124f02b9df2cb802e3c2ce76c982d6bca45f82d62cb51867d66");
    private static final PeerKey BOB = PeerKey.parse("03fe8f6dcb225fc2cc352726fe98bde6c7fec9bc7fe94539874d9717d2cea2a8e3");

    private final ChatCounters counters = new ChatCounters();
    /** Fan-out on the publishing thread, so what a publish did is done when it returns. */
    private final EventHub hub = new EventHub(counters, Runnable::run);

    private static ChatEvent message(int n) {
        return new ChatEvent.DirectMessage(new MessageId(String.format("%016x", n)), Direction.IN, ALICE, BOB,
                TransportKind.TCP_DIRECT, "m" + n, null, Instant.EPOCH);
    }

    private static String id(int n) {
        return String.format("%016x", n);
    }

    @Test
    void newSubscriberGetsTheLast256ThenLiveEvents() {
        for (int i = 1; i <= 300; i++) {
            hub.publish(message(i));
        }
        StepVerifier.create(hub.subscribe(null).map(ChatEvent::id))
                .expectNext(id(45))
                .expectNextCount(255)
                .then(() -> hub.publish(message(301)))
                .expectNext(id(301))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void lastEventIdResumesAfterThatEvent() {
        for (int i = 1; i <= 5; i++) {
            hub.publish(message(i));
        }
        StepVerifier.create(hub.subscribe(id(3)).map(ChatEvent::id))
                .expectNext(id(4), id(5))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aStalledSubscriberLosesOnlyItsOwnEventsAndTheyAreCounted() {
        List<ChatEvent> fast = new CopyOnWriteArrayList<>();
        var fastSub = hub.subscribe(null).subscribe(fast::add);
        // The slow subscriber requests nothing, so its buffer fills at 64.
        StepVerifier.create(hub.subscribe(null), 0)
                .then(() -> {
                    for (int i = 1; i <= 100; i++) {
                        hub.publish(message(i));
                    }
                })
                .thenRequest(200)
                .expectNextCount(EventHub.SUBSCRIBER_BUFFER)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        fastSub.dispose();
        assertThat(fast).hasSize(100);
        assertThat(counters.sseDrops.get()).isEqualTo(100 - EventHub.SUBSCRIBER_BUFFER);
    }

    @Test
    void eachEventIsOneTaskPerExecutorHoweverManySubscribersShareIt() {
        CountingExecutor[] loops = {new CountingExecutor(), new CountingExecutor(), new CountingExecutor()};
        List<Recorder> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Recorder r = new Recorder(loops[i % 3], null);
            hub.register(null, r);
            all.add(r);
        }
        for (CountingExecutor loop : loops) {
            loop.tasks.set(0); // registration hands each subscriber its (empty) backlog: not what is counted
        }
        for (int i = 1; i <= 7; i++) {
            hub.publish(message(i));
        }
        for (CountingExecutor loop : loops) {
            assertThat(loop.tasks.get()).isEqualTo(7);
        }
        for (Recorder r : all) {
            assertThat(r.ids()).containsExactly(id(1), id(2), id(3), id(4), id(5), id(6), id(7));
        }
    }

    @Test
    void eventsThatComeWhileAnExecutorsTaskWaitsJoinItInOrderAndEndInOneBatch() {
        HeldExecutor loop = new HeldExecutor(); // an event loop busy with something else
        Recorder early = new Recorder(loop, null);
        hub.register(null, early);
        hub.publish(message(1));
        hub.publish(message(2));
        Recorder late = new Recorder(loop, null); // joins while the task with events 1 and 2 still waits
        hub.register(null, late);
        hub.publish(message(3));
        hub.heartbeat();
        assertThat(loop.held).hasSize(1);
        loop.runAll();
        assertThat(early.ids()).containsExactly(id(1), id(2), id(3));
        assertThat(late.ids()).containsExactly(id(1), id(2), id(3)); // 1 and 2 replayed, before the live 3
        assertThat(late.live).containsExactly(id(3));
        assertThat(early.batchesEnded.get()).isPositive();
        assertThat(early.unflushedAtBeat).isFalse();
        assertThat(late.batchesEnded.get()).isPositive();
        assertThat(early.beats.get()).isEqualTo(1);
        hub.publish(message(4));
        assertThat(loop.held).hasSize(1); // a new task once the last one ran
        int ended = early.batchesEnded.get();
        loop.runAll();
        assertThat(early.ids()).endsWith(id(4));
        assertThat(early.batchesEnded.get()).isEqualTo(ended + 1);
    }

    @Test
    void anEventIsRenderedOncePerFormatAndEverySubscriberGetsThatRendering() {
        AtomicInteger renders = new AtomicInteger();
        Published.Format<byte[]> frame = new Published.Format<>("test-frame", e -> {
            renders.incrementAndGet();
            return e.id().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        });
        AtomicInteger otherRenders = new AtomicInteger();
        Published.Format<String> other = new Published.Format<>("test-other", e -> {
            otherRenders.incrementAndGet();
            return e.id();
        });
        CountingExecutor[] loops = {new CountingExecutor(), new CountingExecutor()};
        List<Recorder> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Recorder r = new Recorder(loops[i % 2], i % 10 == 0 ? other : frame);
            hub.register(null, r);
            all.add(r);
        }
        hub.register(null, new Recorder(loops[0], null)); // wants no rendering
        for (int i = 1; i <= 5; i++) {
            hub.publish(message(i));
        }
        assertThat(renders.get()).isEqualTo(5);
        assertThat(otherRenders.get()).isEqualTo(5);
        Object first = all.get(1).renderings.get(0);
        for (int i = 1; i < all.size(); i++) {
            if (i % 10 != 0) {
                assertThat(all.get(i).renderings.get(0)).isSameAs(first);
            }
        }
        // A late subscriber's backlog is rendered for it once too, not once per late subscriber.
        hub.register(null, new Recorder(loops[1], frame));
        hub.register(null, new Recorder(loops[0], frame));
        assertThat(renders.get()).isEqualTo(5);
    }

    @Test
    void nobodyAskingForAFormatMeansItIsNeverRendered() {
        AtomicInteger renders = new AtomicInteger();
        Published.Format<String> unused = new Published.Format<>("unused", e -> {
            renders.incrementAndGet();
            return e.id();
        });
        hub.register(null, new Recorder(new CountingExecutor(), null));
        hub.publish(message(1));
        assertThat(renders.get()).isZero();
        assertThat(unused.toString()).isEqualTo("unused");
    }

    @Test
    void aStuckExecutorOrAFailingSubscriberHoldsUpNoOtherSubscriber() {
        HeldExecutor stuck = new HeldExecutor(); // an event loop that is busy elsewhere
        CountingExecutor healthy = new CountingExecutor();
        Recorder onStuck = new Recorder(stuck, null);
        Recorder failing = new Recorder(healthy, null) {
            @Override
            public boolean deliver(Published event) {
                throw new IllegalStateException("broken subscriber");
            }
        };
        Recorder after = new Recorder(healthy, null);
        Recorder full = new Recorder(healthy, null) {
            @Override
            public boolean deliver(Published event) {
                return false; // its buffer is full
            }
        };
        hub.register(null, onStuck);
        hub.register(null, failing);
        hub.register(null, after);
        hub.register(null, full);
        for (int i = 1; i <= 100; i++) {
            hub.publish(message(i));
        }
        assertThat(after.ids()).hasSize(100);
        assertThat(onStuck.ids()).isEmpty();
        assertThat(counters.sseDrops.get()).isEqualTo(100); // the full one's, one each
        stuck.runAll();
        assertThat(onStuck.ids()).hasSize(100).first().isEqualTo(id(1));
    }

    @Test
    void aDisposedSubscriberIsForgottenAndGetsNothingMore() {
        CountingExecutor loop = new CountingExecutor();
        Recorder stays = new Recorder(loop, null);
        Recorder leaves = new Recorder(loop, null);
        hub.register(null, stays);
        Disposable registration = hub.register(null, leaves);
        hub.publish(message(1));
        assertThat(hub.subscriberCount()).isEqualTo(2);
        registration.dispose();
        registration.dispose(); // twice is harmless
        hub.publish(message(2));
        assertThat(hub.subscriberCount()).isEqualTo(1);
        assertThat(registration.isDisposed()).isTrue();
        assertThat(leaves.ids()).containsExactly(id(1));
        assertThat(stays.ids()).containsExactly(id(1), id(2));
    }

    @Test
    void oneHeartbeatReachesEverySubscriberOnceWithOneTaskPerExecutor() {
        CountingExecutor[] loops = {new CountingExecutor(), new CountingExecutor()};
        List<Recorder> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Recorder r = new Recorder(loops[i % 2], null);
            hub.register(null, r);
            all.add(r);
        }
        loops[0].tasks.set(0);
        loops[1].tasks.set(0);
        hub.heartbeat();
        hub.heartbeat();
        assertThat(loops[0].tasks.get()).isEqualTo(2);
        assertThat(loops[1].tasks.get()).isEqualTo(2);
        assertThat(all).allSatisfy(r -> assertThat(r.beats.get()).isEqualTo(2));
    }

    @Test
    void onItsOwnThreadASubscriberJoiningMidStreamSeesEveryLaterEventExactlyOnceInOrder() throws Exception {
        try (EventHub threaded = new EventHub(counters)) {
            for (int i = 1; i <= 100; i++) {
                threaded.publish(message(i));
            }
            List<Recorder> joined = new CopyOnWriteArrayList<>();
            Thread publisher = new Thread(() -> {
                for (int i = 101; i <= 355; i++) { // event 100 stays in the replay window throughout
                    threaded.publish(message(i));
                }
            });
            publisher.start();
            for (int j = 0; j < 20; j++) { // resume after event 100, while events keep coming
                Recorder r = new Recorder(new CountingExecutor(), null);
                threaded.register(id(100), r);
                joined.add(r);
            }
            publisher.join();
            List<String> expected = new ArrayList<>();
            for (int i = 101; i <= 355; i++) {
                expected.add(id(i));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(joined).allSatisfy(r -> assertThat(r.ids()).containsExactlyElementsOf(expected)));
        }
    }

    /** Runs tasks on the calling thread and counts them. */
    private static class CountingExecutor implements Executor {
        final AtomicInteger tasks = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            tasks.incrementAndGet();
            task.run();
        }
    }

    /** Keeps tasks until told to run them, like an event loop busy with something else. */
    private static final class HeldExecutor implements Executor {
        final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            held.add(task);
        }

        void runAll() {
            Runnable r;
            while ((r = held.poll()) != null) {
                r.run();
            }
        }
    }

    /** Records what it was handed: the backlog and live events in order, the renderings it read, beats. */
    private static class Recorder implements EventHub.Subscriber {
        final Executor executor;
        final Published.Format<?> format;
        final List<Published> events = new CopyOnWriteArrayList<>();
        final List<Object> renderings = new CopyOnWriteArrayList<>();
        final AtomicInteger beats = new AtomicInteger();
        final List<String> live = new CopyOnWriteArrayList<>();
        final AtomicInteger batchesEnded = new AtomicInteger();
        volatile boolean unflushed;
        volatile boolean unflushedAtBeat;

        Recorder(Executor executor, Published.Format<?> format) {
            this.executor = executor;
            this.format = format;
        }

        @Override
        public Executor executor() {
            return executor;
        }

        @Override
        public Published.Format<?> format() {
            return format;
        }

        @Override
        public void start(List<Published> backlog) {
            backlog.forEach(this::record);
        }

        @Override
        public boolean deliver(Published event) {
            live.add(event.event().id());
            unflushed = true;
            return record(event);
        }

        @Override
        public void endOfBatch() {
            unflushed = false;
            batchesEnded.incrementAndGet();
        }

        boolean record(Published event) {
            events.add(event);
            if (format != null) {
                renderings.add(event.rendered(format));
            }
            return true;
        }

        @Override
        public void heartbeat() {
            unflushedAtBeat |= unflushed;
            beats.incrementAndGet();
        }

        List<String> ids() {
            return events.stream().map(p -> p.event().id()).toList();
        }
    }
}
