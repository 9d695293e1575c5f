package io.skychat.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per peer for inbound chat messages: {@code perSecond} refill, {@code burst} at most. A peer
 * over its rate is paced, not dropped: {@link #reserve} says how long to wait before handling its next
 * message, the link stops being read meanwhile, and TCP pushes back on the sender. Nothing is lost and
 * order is kept; a flood costs the flooder its own throughput.
 */
public final class PeerRateLimiter {

    /** Buckets kept at most; full (idle) buckets are forgotten first, since forgetting them changes nothing. */
    static final int MAX_TRACKED = 4096;

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<PeerKey, Bucket> buckets = new ConcurrentHashMap<>();

    public PeerRateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1");
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    public static PeerRateLimiter perSecond(double perSecond, int burst) {
        return new PeerRateLimiter(perSecond, burst, System::nanoTime);
    }

    /** Takes one message's worth from {@code peer}'s bucket; false when the bucket is empty. */
    public boolean tryAcquire(PeerKey peer) {
        long now = nanoTime.getAsLong();
        return bucket(peer, now).take(now);
    }

    /**
     * Takes one message's worth, going into debt if need be, and returns how many nanoseconds the caller
     * must wait before handling the message (0 = now). Callers handle a peer's messages one at a time, so
     * the debt never exceeds one message per link.
     */
    public long reserve(PeerKey peer) {
        long now = nanoTime.getAsLong();
        return bucket(peer, now).reserve(now);
    }

    private Bucket bucket(PeerKey peer, long now) {
        if (buckets.size() >= MAX_TRACKED && !buckets.containsKey(peer)) {
            buckets.values().removeIf(b -> b.isFull(now));
        }
        return buckets.computeIfAbsent(peer, p -> new Bucket(now));
    }

    private final class Bucket {

        private double tokens = burst;
        private long last;

        Bucket(long now) {
            this.last = now;
        }

        synchronized boolean take(long now) {
            refill(now);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized long reserve(long now) {
            refill(now);
            tokens -= 1;
            return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            long elapsed = now - last;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * perNano);
                last = now;
            }
        }
    }
}
