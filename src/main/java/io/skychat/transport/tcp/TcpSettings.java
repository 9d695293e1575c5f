package io.skychat.transport.tcp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.skychat.core.PeerKey;

/**
 * What the TCP-direct transport needs to know, copied out of Spring properties at the edge.
 *
 * @param listen          where to accept connections, or null for dial-out only
 * @param peers           persistent outbound links, redialled with backoff
 * @param whitelist       keys allowed to connect in; empty means any authenticated key
 * @param maxConnections  cap on simultaneous inbound connections, handshakes included
 * @param maxHalfOpenPerIp cap on inbound connections from one IP address still in their handshake
 */
public record TcpSettings(InetSocketAddress listen, List<TcpPeer> peers, Set<PeerKey> whitelist,
                          Duration dialTimeout, Duration handshakeTimeout,
                          Duration backoffMin, Duration backoffMax, int maxConnections, int maxHalfOpenPerIp) {

    public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_HALF_OPEN_PER_IP = 32;

    public TcpSettings {
        peers = List.copyOf(peers);
        whitelist = Set.copyOf(whitelist);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
        if (maxHalfOpenPerIp < 1) {
            throw new IllegalArgumentException("maxHalfOpenPerIp must be positive");
        }
    }

    public static TcpSettings of(InetSocketAddress listen, List<TcpPeer> peers, Set<PeerKey> whitelist) {
        return new TcpSettings(listen, peers, whitelist, DEFAULT_DIAL_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT,
                Duration.ofSeconds(1), Duration.ofSeconds(60), DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HALF_OPEN_PER_IP);
    }

    public boolean admits(PeerKey key) {
        return whitelist.isEmpty() || whitelist.contains(key);
    }
}
