package io.skychat.feed.node;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the node did and what it refused; read from any thread. */
public final class FeedNodeStats {

    public final AtomicLong connectionsOpened = new AtomicLong();
    public final AtomicLong connectionsRefused = new AtomicLong();
    public final AtomicLong framesRejected = new AtomicLong();
    public final AtomicLong subscribesServed = new AtomicLong();
    public final AtomicLong subscribesRefused = new AtomicLong();
    public final AtomicLong rootsPushed = new AtomicLong();
    public final AtomicLong rootsAccepted = new AtomicLong();
    public final AtomicLong rootsStale = new AtomicLong();
    public final AtomicLong rootsRejected = new AtomicLong();
    public final AtomicLong rootsIgnored = new AtomicLong();
    public final AtomicLong objectsServed = new AtomicLong();
    public final AtomicLong objectsReceived = new AtomicLong();
    public final AtomicLong objectsRejected = new AtomicLong();
    public final AtomicLong fillsCompleted = new AtomicLong();
    public final AtomicLong fillsAbandoned = new AtomicLong();
    public final AtomicLong fillsInterrupted = new AtomicLong();
    public final AtomicLong heartbeats = new AtomicLong();
    public final AtomicLong subscriberOverflows = new AtomicLong();

    @Override
    public String toString() {
        return "FeedNodeStats[opened=" + connectionsOpened + " refused=" + connectionsRefused + " framesRejected="
                + framesRejected + " subsServed=" + subscribesServed + " subsRefused=" + subscribesRefused
                + " pushed=" + rootsPushed + " accepted=" + rootsAccepted + " stale=" + rootsStale + " rejected="
                + rootsRejected + " objectsServed=" + objectsServed + " objectsReceived=" + objectsReceived
                + " objectsRejected=" + objectsRejected + " fills=" + fillsCompleted + " abandoned=" + fillsAbandoned
                + " interrupted=" + fillsInterrupted + "]";
    }
}
