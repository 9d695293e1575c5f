package io.skychat.core;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on whichever caller finds it idle (or, given a drainer,
 * on the drainer's thread); other callers only enqueue and return. State touched only from its tasks needs
 * no lock, and no caller ever waits for another, so an event loop can publish into it. A task may submit
 * further tasks (they run next).
 */
final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Executor drainer;

    SerialExecutor() {
        this(Runnable::run);
    }

    /** Drains on {@code drainer}, which is handed at most one drain at a time. */
    SerialExecutor(Executor drainer) {
        this.drainer = drainer;
    }

    @Override
    public void execute(Runnable task) {
        tasks.offer(task);
        if (pending.getAndIncrement() != 0) {
            return; // the thread draining now runs it
        }
        drainer.execute(this::drain);
    }

    private void drain() {
        do {
            Runnable next = tasks.poll();
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("event fan-out task failed", e);
            }
        } while (pending.decrementAndGet() != 0);
    }
}
