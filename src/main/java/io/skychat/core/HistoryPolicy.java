package io.skychat.core;

import java.time.Clock;
import java.util.Set;

/**
 * What history keeps, and nothing else: upstream's {@code --persist-*} limits (whitelist, size, per-peer
 * rate, total cap). A message the policy does not keep is still delivered live and acknowledged; only
 * its history row is skipped. Lives in core so every store (direct messages, later feeds) applies the
 * same rules; the row cap per peer is enforced by the store when it inserts.
 */
public final class HistoryPolicy {

    /** Why a message did or did not get a history row. */
    public enum Verdict {
        KEEP, OFF, NOT_WHITELISTED, TOO_LARGE, OVER_RATE, STORE_FULL;

        public boolean kept() {
            return this == KEEP;
        }
    }

    private final boolean enabled;
    private final int maxMessageSize;
    private final int perPeerCap;
    private final long totalCapBytes;
    private final Set<PeerKey> whitelist;
    private final PeerRateLimiter rate; // null = unlimited

    /**
     * @param perPeerRate inbound messages per minute per peer taken into history (0 = unlimited); bursts up
     *                    to {@code perPeerCap} pass, so a catch-up after downtime is kept whole
     */
    public HistoryPolicy(boolean enabled, int maxMessageSize, int perPeerRate, int perPeerCap, long totalCapBytes,
                         Set<PeerKey> whitelist, Clock clock) {
        if (maxMessageSize < 1 || perPeerCap < 1 || totalCapBytes < 1 || perPeerRate < 0) {
            throw new IllegalArgumentException("history limits must be positive");
        }
        this.enabled = enabled;
        this.maxMessageSize = maxMessageSize;
        this.perPeerCap = perPeerCap;
        this.totalCapBytes = totalCapBytes;
        this.whitelist = Set.copyOf(whitelist);
        this.rate = perPeerRate == 0 ? null
                : new PeerRateLimiter(perPeerRate / 60.0, perPeerCap, () -> clock.millis() * 1_000_000L);
    }

    /** Whether this peer's conversation is kept at all. */
    public boolean keeps(PeerKey peer) {
        return enabled && (whitelist.isEmpty() || whitelist.contains(peer));
    }

    /**
     * Decides for an inbound message that is not a duplicate, given the bytes already stored. Takes a rate
     * token only when every other rule lets the message in, so refusals do not eat into the budget.
     */
    public Verdict inbound(PeerKey peer, int size, long storedBytes) {
        Verdict v = common(peer, size, storedBytes);
        if (v != Verdict.KEEP) {
            return v;
        }
        return rate == null || rate.tryAcquire(peer) ? Verdict.KEEP : Verdict.OVER_RATE;
    }

    /** Decides for the history row of an outgoing message (the outbox keeps the message either way). */
    public Verdict outgoing(PeerKey peer, int size, long storedBytes) {
        return common(peer, size, storedBytes);
    }

    private Verdict common(PeerKey peer, int size, long storedBytes) {
        if (!enabled) {
            return Verdict.OFF;
        }
        if (!whitelist.isEmpty() && !whitelist.contains(peer)) {
            return Verdict.NOT_WHITELISTED;
        }
        if (size > maxMessageSize) {
            return Verdict.TOO_LARGE;
        }
        return storedBytes + size > totalCapBytes ? Verdict.STORE_FULL : Verdict.KEEP;
    }

    public int perPeerCap() {
        return perPeerCap;
    }

    public long totalCapBytes() {
        return totalCapBytes;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }
}
