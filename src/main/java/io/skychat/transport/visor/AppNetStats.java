package io.skychat.transport.visor;

import java.util.concurrent.atomic.AtomicLong;

/** What one network over the visor (skynet or the visor's dmsg) saw. */
public final class AppNetStats {

    public final AtomicLong accepted = new AtomicLong();
    public final AtomicLong dialled = new AtomicLong();
    public final AtomicLong dialFailures = new AtomicLong();
    /** Connections closed because the peer's bytes were not chat frames (length 0 or over 65536). */
    public final AtomicLong chatFramesRejected = new AtomicLong();
}
