package io.skychat.feed.node;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed node's own thread, fed through a lock-free queue: event loops hand it every frame, and handing
 * over must never park them, which a {@code ThreadPoolExecutor}'s locked queue can do under contention.
 * Signatures, hashing and tree walks run here, one task at a time.
 */
public final class NodeExecutor implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeExecutor.class);

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean shutdown;

    public NodeExecutor(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("the feed node is closed");
        }
        queue.offer(task);
        LockSupport.unpark(thread); // never blocks: at most wakes the thread
    }

    private void run() {
        while (true) {
            Runnable task = queue.poll();
            if (task == null) {
                if (shutdown) {
                    return;
                }
                // a submission between poll() and park() has already unparked us, so park returns at once
                LockSupport.parkNanos(this, Duration.ofMillis(100).toNanos());
                continue;
            }
            try {
                task.run();
            } catch (Throwable t) {
                log.error("feed node task failed", t);
            }
        }
    }

    /** Runs what is queued, then stops the thread (waiting at most 5 s). */
    @Override
    public void close() {
        shutdown = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
