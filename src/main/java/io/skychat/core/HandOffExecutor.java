package io.skychat.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small pool of worker threads fed through a lock-free queue. Handing it work never takes a lock and so
 * never parks the caller, however busy the workers are: an event loop may submit to it. A JDK
 * {@code ThreadPoolExecutor}'s queue lock did park event loops under contention. Bounded: past
 * {@code capacity} queued tasks a submission is refused. With one worker, tasks run in submission order.
 */
public class HandOffExecutor extends AbstractExecutorService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HandOffExecutor.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String what;
    private final int capacity;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Thread[] workers;
    private volatile boolean shutdown;

    /**
     * @param name     thread name (with {@code -1}, {@code -2}… when there are several)
     * @param threads  workers
     * @param capacity tasks queued at most
     * @param what     how refusals name it ("the message store")
     */
    public HandOffExecutor(String name, int threads, int capacity, String what) {
        if (threads < 1 || capacity < 1) {
            throw new IllegalArgumentException("threads and capacity must be positive");
        }
        this.what = what;
        this.capacity = capacity;
        this.workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, threads == 1 ? name : name + "-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
        }
        for (Thread t : workers) {
            t.start();
        }
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException(what + " is closed");
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            throw new RejectedExecutionException(what + " is busy (" + capacity + " tasks queued)");
        }
        queue.offer(task);
        for (Thread t : workers) {
            LockSupport.unpark(t); // never blocks: at most wakes a worker
        }
    }

    /** Tasks waiting for a worker. */
    public int queued() {
        return queued.get();
    }

    private void work() {
        while (true) {
            Runnable task = queue.poll();
            if (task == null) {
                if (shutdown) {
                    return;
                }
                // A submission between poll() and park() has already unparked us, so park returns at once.
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                continue;
            }
            queued.decrementAndGet();
            try {
                task.run();
            } catch (Throwable t) {
                log.error("{}: task failed", what, t);
            }
        }
    }

    /** Runs what is already queued, then stops. */
    @Override
    public void shutdown() {
        shutdown = true;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        List<Runnable> left = new ArrayList<>();
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
        if (!shutdown) {
            return false;
        }
        for (Thread t : workers) {
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Thread t : workers) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                t.join(left);
            }
        }
        return isTerminated();
    }

    /** Runs what is queued, then stops, waiting at most 5 s. */
    @Override
    public void close() {
        shutdown();
        try {
            awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
