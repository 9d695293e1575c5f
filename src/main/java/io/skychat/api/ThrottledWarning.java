package io.skychat.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * A WARN for something that can happen thousands of times a second under load: the first occurrence is
 * logged at once, later ones at most once per interval, with how many there were since the last line.
 */
final class ThrottledWarning {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong nextReport;

    ThrottledWarning(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nextReport = new AtomicLong(System.nanoTime());
    }

    /** Counts one occurrence of {@code what}; {@code cause} may be null. */
    void occurred(String what, Throwable cause) {
        long count = unreported.incrementAndGet();
        long now = System.nanoTime();
        long due = nextReport.get();
        if (now - due < 0 || !nextReport.compareAndSet(due, now + intervalNanos)) {
            return;
        }
        count = unreported.getAndSet(0);
        String detail = cause == null ? "" : ": " + cause;
        if (count <= 1) {
            log.warn("{}{} (repeats are reported at most once every {} s)", what, detail, intervalNanos / 1_000_000_000L);
        } else {
            log.warn("{}{} ({} times since the last report)", what, detail, count);
        }
    }
}
