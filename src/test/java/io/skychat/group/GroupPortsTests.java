package io.skychat.group;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Group ports: random in the allocators' range, relay listener one above. */
class GroupPortsTests {

    @Test
    void groupPortsLeaveRoomForTheRelayListenerAbove() {
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 10_000; i++) {
            int port = GroupPorts.pick(r);
            assertThat(port).isBetween(GroupPorts.BASE, GroupPorts.END - 2);
            assertThat(GroupPorts.relay(port)).isEqualTo(port + 1).isLessThan(GroupPorts.END);
        }
    }
}
