package io.skychat.transport.dmsg;

import java.util.concurrent.atomic.AtomicLong;

/** What the dmsg client saw; every refused or broken session, stream and discovery call moves one of these. */
public final class DmsgStats {

    public final AtomicLong sessionsEstablished = new AtomicLong();
    /** Connect, handshake or refusal by the server: the session never came up. */
    public final AtomicLong sessionFailures = new AtomicLong();
    /** Sessions ended because the server broke yamux (garbage, an oversized frame, a bad flag). */
    public final AtomicLong sessionsDroppedForProtocol = new AtomicLong();
    public final AtomicLong streamsDialled = new AtomicLong();
    public final AtomicLong streamsAccepted = new AtomicLong();
    /** Accepted streams handed to a listener on a port other than chat (CXO feeds, ...). */
    public final AtomicLong streamsToListeners = new AtomicLong();
    public final AtomicLong dialFailures = new AtomicLong();
    /** Incoming stream requests refused: bad signature, wrong destination, no listener, unreadable. */
    public final AtomicLong streamsRejected = new AtomicLong();
    /** Noise or chat frames on an established stream that failed; that stream was dropped. */
    public final AtomicLong framesRejected = new AtomicLong();
    /** Discovery calls that failed: unreachable, timed out, an error status or an answer we refuse. */
    public final AtomicLong discoveryErrors = new AtomicLong();
    public final AtomicLong entryUpdates = new AtomicLong();
}
