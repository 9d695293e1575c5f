package io.skychat.transport.tcp;

import java.util.concurrent.atomic.AtomicLong;

/** What the TCP-direct listener saw; every refused or broken connection moves one of these. */
public final class TcpStats {

    public final AtomicLong accepted = new AtomicLong();
    public final AtomicLong handshakeFailures = new AtomicLong();
    public final AtomicLong rejectedPeers = new AtomicLong();
    public final AtomicLong refusedOverCap = new AtomicLong();
    public final AtomicLong dialFailures = new AtomicLong();
    /** Refused because the remote IP already had {@code maxHalfOpenPerIp} handshakes in progress. */
    public final AtomicLong refusedHalfOpen = new AtomicLong();
    /** Noise frames after the handshake that failed: bad length, failed authentication, replayed nonce. */
    public final AtomicLong noiseFramesRejected = new AtomicLong();
    /** Chat frames inside a valid noise frame whose length was zero or over 65536. */
    public final AtomicLong chatFramesRejected = new AtomicLong();
}
