package io.skychat.feed.node;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's tasks one at a time, in order, on a delegate executor (never on the submitting event
 * loop: signatures and hashing happen in them). Submitting only enqueues; state touched only from these
 * tasks needs no lock. The delegate must accept work without locking ({@link NodeExecutor} does), since
 * event loops submit.
 */
final class SerialQueue implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialQueue.class);

    private final Executor delegate;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    SerialQueue(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        tasks.offer(task);
        if (pending.getAndIncrement() == 0) {
            try {
                delegate.execute(this::drain);
            } catch (RuntimeException | Error e) {
                // the node is closed (or the executor broken): never run node work on the caller, an event
                // loop perhaps; forget what waits, so the queue is not left claiming a drain that never comes
                tasks.clear();
                pending.set(0);
                log.debug("feed node executor refused work: {}", e.toString());
                if (e instanceof Error error) {
                    throw error;
                }
            }
        }
    }

    int pending() {
        return pending.get();
    }

    private void drain() {
        do {
            Runnable next = tasks.poll();
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("feed node task failed", e);
            }
        } while (pending.decrementAndGet() != 0);
    }
}
