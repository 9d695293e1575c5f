package io.skychat.transport.dmsg;

import io.skychat.core.SkychatException;

/** A discovery call that did not give a usable answer: unreachable, timed out, or an error status. */
public final class DiscoveryCallException extends SkychatException {

    private final int status;

    DiscoveryCallException(String call, int status, String why, Throwable cause) {
        super("discovery-unavailable", "dmsg discovery " + call + ": " + why, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when there was no answer at all. */
    public int status() {
        return status;
    }
}
