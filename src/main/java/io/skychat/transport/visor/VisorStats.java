package io.skychat.transport.visor;

import java.util.concurrent.atomic.AtomicLong;

/** What the attachment to the visor went through; shared by the transports over it. */
public final class VisorStats {

    /** Attachments that got as far as "Running". */
    public final AtomicLong attached = new AtomicLong();
    /** Attempts that failed before "Running" (visor down, Hello refused, Listen refused). */
    public final AtomicLong attachFailures = new AtomicLong();
    /** Attachments lost after "Running": the visor went away, or sent bytes we could not read. */
    public final AtomicLong dropped = new AtomicLong();
}
