package io.skychat.config;

import io.skychat.core.PeerLinks;
import io.skychat.core.StreamNetwork;
import io.skychat.core.Transport;
import org.springframework.boot.health.contributor.Health;

/**
 * What every network's health component starts with, so {@code /actuator/health} and {@code /status} say the
 * same: up or down as the transport says, its label, its open chat links and whether it carries byte streams.
 * Each network adds its own details after.
 */
final class NetworkHealth {

    private NetworkHealth() {
    }

    static Health.Builder of(Transport transport, PeerLinks links) {
        return (transport.isUp() ? Health.up() : Health.down())
                .withDetail("network", transport.kind().label())
                .withDetail("links", links.count(transport.kind()))
                .withDetail("streams", transport instanceof StreamNetwork);
    }
}
