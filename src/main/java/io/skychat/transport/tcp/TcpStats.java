package io.skychat.transport.tcp;

import java.util.concurrent.atomic.AtomicLong;

/** What the TCP-direct listener saw; every refused or broken connection moves one of these. */
public final class TcpStats {

    public final AtomicLong accepted = new AtomicLong();
    public final AtomicLong handshakeFailures = new AtomicLong();
    public final AtomicLong rejectedPeers = new AtomicLong();
    public final AtomicLong refusedOverCap = new AtomicLong();
    public final AtomicLong dialFailures = new AtomicLong();
}
