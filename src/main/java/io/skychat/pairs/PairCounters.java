package io.skychat.pairs;

import java.util.concurrent.atomic.AtomicLong;

/** What pairing did and refused; exact counts. */
public final class PairCounters {
    public final AtomicLong invitesSent = new AtomicLong();
    public final AtomicLong inviteFailures = new AtomicLong();
    public final AtomicLong controlIgnored = new AtomicLong();
    public final AtomicLong messagesSent = new AtomicLong();
    public final AtomicLong messagesReceived = new AtomicLong();
    /** Leaves of a peer's feed that did not open, did not parse, or were too big: dropped, the pair goes on. */
    public final AtomicLong leavesRefused = new AtomicLong();
    /** Leaves naming an epoch not known (yet): parked until the next announcement. */
    public final AtomicLong leavesParked = new AtomicLong();
    public final AtomicLong announcementsRefused = new AtomicLong();
    public final AtomicLong rotations = new AtomicLong();
    /** The peer's publisher refused our subscription (it removed us) or following failed. */
    public final AtomicLong subscribeFailures = new AtomicLong();
}
