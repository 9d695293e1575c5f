package io.skychat.store;

import java.time.Duration;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that talks to the database, fed through a lock-free queue. Handing it work never takes a
 * lock, so an event loop submitting a statement can never park, however busy the thread is: a
 * {@code ThreadPoolExecutor}'s queue lock did exactly that under contention. Bounded: past
 * {@code capacity} queued tasks a submission is refused, which callers report as "store busy".
 */
final class StoreThread extends AbstractExecutorService {

    private static final Logger log = LoggerFactory.getLogger(StoreThread.class);

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final Thread thread;
    private volatile boolean shutdown;

    StoreThread(String name, int capacity) {
        this.capacity = capacity;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("the message store is closed");
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            throw new RejectedExecutionException("the message store is busy (" + capacity + " statements queued)");
        }
        queue.offer(task);
        LockSupport.unpark(thread); // never blocks: at most wakes the store thread
    }

    int queued() {
        return queued.get();
    }

    private void run() {
        while (true) {
            Runnable task = queue.poll();
            if (task == null) {
                if (shutdown) {
                    return;
                }
                // A submission between poll() and park() has already unparked us, so park returns at once.
                LockSupport.parkNanos(this, Duration.ofMillis(100).toNanos());
                continue;
            }
            queued.decrementAndGet();
            try {
                task.run();
            } catch (Throwable t) {
                log.error("message store task failed", t);
            }
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        LockSupport.unpark(thread);
    }

    @Override
    public java.util.List<Runnable> shutdownNow() {
        shutdown();
        java.util.List<Runnable> left = new java.util.ArrayList<>();
        Runnable r;
        while ((r = queue.poll()) != null) {
            left.add(r);
        }
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && !thread.isAlive();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(Math.max(1, unit.toMillis(timeout)));
        return !thread.isAlive();
    }
}
