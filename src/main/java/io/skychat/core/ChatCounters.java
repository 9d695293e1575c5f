package io.skychat.core;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The counters upstream reports in {@code /status}. Plain atomics so the core stays free of a metrics
 * library; the configuration layer exposes each one as a Micrometer meter.
 */
public final class ChatCounters {

    public final AtomicLong inboundMessages = new AtomicLong();
    public final AtomicLong outboundMessages = new AtomicLong();
    public final AtomicLong inboundDrops = new AtomicLong();
    /** Inbound messages delivered and acknowledged whose history row the --persist-* limits did not keep. */
    public final AtomicLong inboundNotKept = new AtomicLong();
    public final AtomicLong outboundFailures = new AtomicLong();
    public final AtomicLong outboundRetries = new AtomicLong();
    public final AtomicLong outboundFallbacks = new AtomicLong();
    public final AtomicLong sseDrops = new AtomicLong();
    private final Map<TransportKind, AtomicLong> rateLimited = new EnumMap<>(TransportKind.class);
    private final AtomicReference<Instant> lastReceived = new AtomicReference<>();
    private final AtomicReference<Instant> lastSent = new AtomicReference<>();

    public ChatCounters() {
        for (TransportKind kind : TransportKind.values()) {
            rateLimited.put(kind, new AtomicLong());
        }
    }

    /** An inbound message held back because its peer went over the per-peer rate (it is handled later). */
    public void rateLimited(TransportKind kind) {
        rateLimited.get(kind).incrementAndGet();
    }

    public AtomicLong rateLimitedCount(TransportKind kind) {
        return rateLimited.get(kind);
    }

    public void received(Instant at) {
        inboundMessages.incrementAndGet();
        lastReceived.set(at);
    }

    public void sent(Instant at) {
        outboundMessages.incrementAndGet();
        lastSent.set(at);
    }

    public Instant lastReceived() {
        return lastReceived.get();
    }

    public Instant lastSent() {
        return lastSent.get();
    }
}
