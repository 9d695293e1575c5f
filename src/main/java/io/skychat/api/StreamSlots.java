package io.skychat.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cap on open streams ({@code /sse} and {@code /events} together, {@code --max-streams}). Each stream
 * holds a connection and a subscriber buffer for as long as it lives, so past the cap a new
 * stream is refused at once rather than let the process run out of descriptors.
 */
public final class StreamSlots {

    static final String PROBLEM_TYPE = "too-many-streams";

    private static final Logger log = LoggerFactory.getLogger(StreamSlots.class);

    private final int max;
    private final HttpStats stats;
    private final AtomicInteger open = new AtomicInteger();
    private final ThrottledWarning refusals = new ThrottledWarning(log, Duration.ofMinutes(1));

    public StreamSlots(int max, HttpStats stats) {
        if (max < 1) {
            throw new IllegalArgumentException("max streams must be positive");
        }
        this.max = max;
        this.stats = stats;
    }

    public int max() {
        return max;
    }

    /** Streams holding a slot now. */
    public int open() {
        return open.get();
    }

    /** A slot, or null (counted and logged) when all {@link #max()} are taken. */
    Slot tryAcquire() {
        for (int n = open.get(); n < max; n = open.get()) {
            if (open.compareAndSet(n, n + 1)) {
                return new Slot();
            }
        }
        stats.streamsRefused.incrementAndGet();
        refusals.occurred("refusing new /sse and /events streams with 503: all " + max
                + " stream slots are taken (raise --max-streams if this is expected load)", null);
        return null;
    }

    String refusalDetail() {
        return "this node already serves its maximum of " + max + " streams (/sse and /events together); "
                + "retry later, close another stream, or start the node with a higher --max-streams";
    }

    /** One stream's hold on the cap; released once however the stream ends, whoever notices first. */
    final class Slot {

        private final AtomicBoolean released = new AtomicBoolean();

        void release() {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        }
    }
}
