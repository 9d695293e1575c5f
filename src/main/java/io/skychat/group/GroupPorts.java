package io.skychat.group;

import java.util.random.RandomGenerator;

/**
 * Where a group listens (upstream {@code skyenv} and {@code join_wire.go}): every member's feed on the group port,
 * chosen at random by the founder in [10000, 65000) like the pair allocator's range; the founder's and admins'
 * relay/admission listener one above it; the describe probe on the fixed port 8060.
 */
public final class GroupPorts {

    public static final int BASE = 10_000;
    public static final int END = 65_000;
    public static final int RELAY_OFFSET = 1;
    public static final int PROBE = 8060;

    private GroupPorts() {
    }

    /** A fresh group port; the relay port above it stays below {@link #END}. */
    public static int pick(RandomGenerator random) {
        return BASE + random.nextInt(END - BASE - RELAY_OFFSET);
    }

    public static int relay(int groupPort) {
        return groupPort + RELAY_OFFSET;
    }
}
