package io.skychat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class DescriptorBudgetTests {

    @Test
    void automaticCapsLeaveDescriptorsForTheRestAndConnectionsForControlRoutes() {
        // ulimit -n 256, 11 open at start: 245 free, 64 kept back, 181 connections, 22 of them never streams
        DescriptorBudget small = DescriptorBudget.of(256, 11, limits("auto", "auto"));
        assertThat(small.maxConnections()).isEqualTo(181);
        assertThat(small.maxStreams()).isEqualTo(159);
        // ulimit -n 1024 (the measured outage): streams stop at 659, far below the 996 connections that got in
        DescriptorBudget usual = DescriptorBudget.of(1024, 20, limits("auto", "auto"));
        assertThat(usual.maxConnections()).isEqualTo(753);
        assertThat(usual.maxStreams()).isEqualTo(659);
        for (long limit : new long[] {64, 256, 1024, 4096, 65536, 1 << 20}) {
            DescriptorBudget b = DescriptorBudget.of(limit, 30, limits("auto", "auto"));
            assertThat(b.maxStreams()).as("streams at %d", limit).isLessThan(b.maxConnections());
            if (limit > 128) {
                assertThat(b.maxConnections() + 30 + DescriptorBudget.MIN_RESERVE).as("room at %d", limit)
                        .isLessThanOrEqualTo((int) limit);
            }
        }
    }

    @Test
    void anUnlimitedOrUnknownLimitStillGivesFiniteCaps() {
        assertThat(DescriptorBudget.of(Long.MAX_VALUE, 30, limits("auto", "auto")).maxConnections())
                .isLessThan(Integer.MAX_VALUE).isGreaterThan(100_000);
        DescriptorBudget unknown = DescriptorBudget.of(-1, -1, limits("auto", "auto"));
        assertThat(unknown.maxConnections()).isEqualTo(DescriptorBudget.FALLBACK_CONNECTIONS);
        assertThat(unknown.maxStreams()).isEqualTo(1792);
    }

    @Test
    void explicitCapsWinAndStreamsFollowAnExplicitConnectionCap() {
        assertThat(DescriptorBudget.of(256, 11, limits("3", "auto")).maxStreams()).isEqualTo(3);
        DescriptorBudget connections = DescriptorBudget.of(256, 11, limits("auto", "80"));
        assertThat(connections.maxConnections()).isEqualTo(80);
        assertThat(connections.maxStreams()).isEqualTo(70);
    }

    @Test
    void aCapIsAutoOrAPositiveNumber() {
        assertThat(DescriptorBudget.parseCap("AUTO", "--max-streams")).isNull();
        assertThat(DescriptorBudget.parseCap(" 12 ", "--max-streams")).isEqualTo(12);
        assertThatThrownBy(() -> limits("0", "auto"))
                .hasMessage("--max-streams: \"0\" is neither auto nor a positive number");
        assertThatThrownBy(() -> limits("auto", "lots"))
                .hasMessage("--max-connections: \"lots\" is neither auto nor a positive number");
    }

    private static SkychatProperties.Limits limits(String maxStreams, String maxConnections) {
        return new SkychatProperties.Limits(DataSize.ofMegabytes(1), Duration.ofSeconds(10), Duration.ofSeconds(30),
                new SkychatProperties.PeerRate(50, 500), maxStreams, maxConnections);
    }
}
