package io.skychat.api;

import java.time.Duration;

/** How the streaming routes behave; copied from configuration at the edge. */
public record StreamSettings(Duration pingInterval) {

    public StreamSettings {
        if (pingInterval == null || pingInterval.isNegative() || pingInterval.isZero()) {
            throw new IllegalArgumentException("ping interval must be positive");
        }
    }
}
