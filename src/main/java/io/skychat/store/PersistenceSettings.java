package io.skychat.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import io.skychat.core.PeerKey;

/**
 * Upstream's persistence options, same names and defaults, copied out of Spring properties at the edge.
 *
 * @param enabled         keep history ({@code --persist}, the default here; {@code --no-persist} turns it off)
 * @param database        the database file; null = in memory (history off)
 * @param maxMessageSize  largest message accepted for sending and for history, bytes
 * @param perPeerRate     inbound messages per minute per peer taken into history (0 = unlimited); bursts up
 *                        to {@code perPeerCap} pass, so a catch-up after downtime is not throttled
 * @param perPeerCap      rows kept per peer; the oldest are evicted
 * @param totalCapBytes   total bytes of message text kept; beyond it new writes are refused
 * @param ttl             rows older than this are swept (zero = keep)
 * @param whitelist       when not empty, only these peers' conversations are kept
 * @param seed            rows replayed to a new SSE subscriber
 */
public record PersistenceSettings(boolean enabled, Path database, int maxMessageSize, int perPeerRate,
                                  int perPeerCap, long totalCapBytes, Duration ttl, Set<PeerKey> whitelist,
                                  int seed) {

    public PersistenceSettings {
        if (maxMessageSize < 1 || perPeerCap < 1 || totalCapBytes < 1 || perPeerRate < 0 || seed < 0) {
            throw new IllegalArgumentException("persistence limits must be positive");
        }
        whitelist = Set.copyOf(whitelist);
    }

    /** Sweep every min(10 min, TTL/10), as upstream does. */
    public Duration sweepInterval() {
        Duration tenth = ttl.isZero() ? Duration.ofMinutes(10) : ttl.dividedBy(10);
        return tenth.compareTo(Duration.ofMinutes(10)) < 0 ? tenth : Duration.ofMinutes(10);
    }

    public boolean keeps(PeerKey peer) {
        return enabled && (whitelist.isEmpty() || whitelist.contains(peer));
    }
}
