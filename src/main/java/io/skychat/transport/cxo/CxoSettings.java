package io.skychat.transport.cxo;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * What CXO over TCP needs, copied out of Spring properties at the edge.
 *
 * @param listen           accept CXO connections here, or null
 * @param peers            connections kept up and redialled with backoff
 * @param handshakeTimeout upstream's Noise-TCP handshake timeout is 30 s
 * @param maxConnections   cap on simultaneous inbound connections, handshakes included
 */
public record CxoSettings(InetSocketAddress listen, List<CxoPeer> peers, Duration dialTimeout, Duration handshakeTimeout,
                          Duration backoffMin, Duration backoffMax, int maxConnections) {

    public CxoSettings {
        peers = List.copyOf(peers);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
    }

    public static CxoSettings of(InetSocketAddress listen, List<CxoPeer> peers) {
        return new CxoSettings(listen, peers, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(60), 256);
    }

    public CxoSettings withBackoff(Duration min, Duration max) {
        return new CxoSettings(listen, peers, dialTimeout, handshakeTimeout, min, max, maxConnections);
    }

    public boolean enabled() {
        return listen != null || !peers.isEmpty();
    }
}
