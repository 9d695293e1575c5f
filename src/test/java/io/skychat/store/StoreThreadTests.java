package io.skychat.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Handing work to the store from non-blocking threads (Reactor's parallel workers stand in for event
 * loops; BlockHound treats both alike) must never park them, however hard they contend. A JDK
 * ThreadPoolExecutor's queue lock did, and BlockHound's errors thrown mid-operation lost signals.
 */
class StoreThreadTests {

    @Test
    void contendedSubmissionsFromNonBlockingThreadsNeverParkAndAllRun() throws Exception {
        ExecutorService store = new StoreThread("store-under-test", 1_000_000);
        int producers = 4;
        int each = 20_000;
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(producers * each);
        try {
            Flux.range(0, producers)
                    .parallel(producers).runOn(Schedulers.parallel())
                    .doOnNext(p -> {
                        for (int i = 0; i < each; i++) {
                            store.execute(() -> {
                                ran.incrementAndGet();
                                done.countDown();
                            });
                        }
                    })
                    .sequential().blockLast(Duration.ofSeconds(30));
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ran.get()).isEqualTo(producers * each);
        } finally {
            store.shutdown();
        }
        // BlockingCallsFailTheTest fails this test if any producer parked, even had the error been caught.
    }

    @Test
    void pastItsCapacityASubmissionIsRefusedNotQueued() throws Exception {
        StoreThread store = new StoreThread("store-under-test", 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try {
            store.execute(() -> {
                started.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS); // holds the store thread (not an event loop)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            store.execute(() -> { });
            store.execute(() -> { });
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.execute(() -> { }))
                    .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("busy");
        } finally {
            release.countDown();
            store.shutdown();
        }
    }

    @Test
    void shutdownRunsWhatWasQueuedFirst() throws Exception {
        StoreThread store = new StoreThread("store-under-test", 100);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            store.execute(ran::incrementAndGet);
        }
        store.shutdown();
        assertThat(store.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.get()).isEqualTo(50);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("closed");
    }
}
