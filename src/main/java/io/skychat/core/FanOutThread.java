package io.skychat.core;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that runs what it is handed, in order. Handing it work never blocks or takes a lock
 * (a queue offer and an unpark), so the store thread and event loops can publish through it; the thread
 * parks while there is nothing to do.
 */
final class FanOutThread implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FanOutThread.class);

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    FanOutThread(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        tasks.offer(task);
        LockSupport.unpark(thread);
    }

    private void loop() {
        while (!closed) {
            Runnable task = tasks.poll();
            if (task == null) {
                LockSupport.park(this); // an unpark in between makes this return at once
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("event fan-out task failed", e);
            }
        }
    }

    /** Stops the thread; what is still queued is not run. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
