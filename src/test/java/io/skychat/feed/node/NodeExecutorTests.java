package io.skychat.feed.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Event loops hand the node every frame: doing so from non-blocking threads (Reactor's parallel workers
 * stand in for them; BlockHound treats both alike) must never park them, and the node's queue keeps order.
 */
class NodeExecutorTests {

    @Test
    void contendedSubmissionsFromNonBlockingThreadsNeverParkAndRunInOrderPerProducer() throws Exception {
        int producers = 4;
        int each = 20_000;
        List<List<Integer>> seen = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        CountDownLatch done = new CountDownLatch(producers * each);
        try (NodeExecutor executor = new NodeExecutor("node-under-test")) {
            SerialQueue queue = new SerialQueue(executor);
            Flux.range(0, producers)
                    .parallel(producers).runOn(Schedulers.parallel())
                    .doOnNext(p -> {
                        for (int i = 0; i < each; i++) {
                            int n = i;
                            queue.execute(() -> {
                                seen.get(p).add(n);
                                done.countDown();
                            });
                        }
                    })
                    .sequential().blockLast(Duration.ofSeconds(30));
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
        for (List<Integer> one : seen) {
            assertThat(one).hasSize(each).isSorted();
        }
        // BlockingCallsFailTheTest fails this test if any producer parked, even had the error been caught.
    }

    @Test
    void aClosedExecutorRefusesAndTheQueueDoesNotWedge() {
        NodeExecutor executor = new NodeExecutor("node-under-test");
        executor.close();
        assertThatThrownBy(() -> executor.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        SerialQueue queue = new SerialQueue(executor);
        queue.execute(() -> { });
        assertThat(queue.pending()).isZero(); // refused work is dropped, not left claiming a drain
    }
}
