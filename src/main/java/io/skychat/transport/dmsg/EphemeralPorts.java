package io.skychat.transport.dmsg;

import java.util.HashSet;
import java.util.Set;

/** Local ports for streams we dial, from 49152 up as upstream's porter, wrapping and skipping ports in use. */
final class EphemeralPorts {

    static final int FIRST = 49152;
    static final int LAST = 65535;

    private final Set<Integer> inUse = new HashSet<>();
    private int next = FIRST;

    synchronized int reserve() {
        for (int tries = 0; tries <= LAST - FIRST; tries++) {
            int p = next;
            next = next == LAST ? FIRST : next + 1;
            if (inUse.add(p)) {
                return p;
            }
        }
        throw new IllegalStateException("all " + (LAST - FIRST + 1) + " ephemeral dmsg ports are in use");
    }

    synchronized void release(int port) {
        inUse.remove(port);
    }

    synchronized int inUse() {
        return inUse.size();
    }
}
