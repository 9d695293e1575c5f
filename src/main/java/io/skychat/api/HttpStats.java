package io.skychat.api;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What the control surface's listener refused or failed at; every refusal moves one of these. */
public final class HttpStats {

    /** {@code /sse} and {@code /events} requests answered 503 because every stream slot was taken. */
    public final AtomicLong streamsRefused = new AtomicLong();
    /** Connections closed at accept because the HTTP connection cap was reached. */
    public final AtomicLong connectionsRefused = new AtomicLong();
    /** Accepts that failed in the listener itself (EMFILE "Too many open files" and the like). */
    public final AtomicLong acceptFailures = new AtomicLong();
    /** HTTP connections open now. */
    public final AtomicInteger openConnections = new AtomicInteger();
}
