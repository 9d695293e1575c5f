package io.skychat.transport.dmsg;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the dmsg client needs to know, copied out of Spring properties at the edge.
 *
 * @param discovery        base URL of dmsg-discovery, e.g. {@code http://dmsgd.skywire.skycoin.com}
 * @param sessions         how many servers to keep a session with
 * @param pinned           servers to use instead of asking discovery for some; may be empty
 * @param callTimeout      bound on each discovery call
 * @param dialTimeout      bound on a TCP connect to a server
 * @param handshakeTimeout bound on the session XK handshake and on each stream handshake
 * @param backoffMin       first reconnect delay of a session, doubled up to {@code backoffMax}
 * @param entryRefresh     how often the entry is posted again without a change (upstream clients: 5 min)
 * @param yamux            yamux settings (keepalive, write timeout)
 */
public record DmsgSettings(URI discovery, int sessions, List<DmsgServerAddress> pinned, Duration callTimeout,
                           Duration dialTimeout, Duration handshakeTimeout, Duration backoffMin, Duration backoffMax,
                           Duration entryRefresh, YamuxConfig yamux) {

    /** Upstream's production discovery ({@code deployment/services-config-clearnet.json}). */
    public static final String PRODUCTION_DISCOVERY = "http://dmsgd.skywire.skycoin.com";

    public DmsgSettings {
        Objects.requireNonNull(discovery, "discovery");
        if (!"http".equals(discovery.getScheme()) && !"https".equals(discovery.getScheme())) {
            throw new IllegalArgumentException("dmsg-disc \"" + discovery + "\": must be an http:// or https:// URL");
        }
        if (sessions < 1) {
            throw new IllegalArgumentException("dmsg-sessions must be at least 1, got " + sessions);
        }
        pinned = List.copyOf(pinned);
        for (Duration d : new Duration[] {callTimeout, dialTimeout, handshakeTimeout, backoffMin, backoffMax, entryRefresh}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("dmsg timeouts and backoffs must be positive");
            }
        }
        Objects.requireNonNull(yamux, "yamux");
    }

    /** Upstream's timings: 5 s handshakes, yamux defaults, reconnects from 1 s to 60 s. */
    public static DmsgSettings of(URI discovery, int sessions, List<DmsgServerAddress> pinned) {
        return new DmsgSettings(discovery, sessions, pinned, Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5), YamuxConfig.DMSG);
    }

    /** The same with other keepalive timings (tests, or a network with tighter NAT timeouts). */
    public DmsgSettings withKeepAlive(Duration interval, Duration timeout) {
        return new DmsgSettings(discovery, sessions, pinned, callTimeout, dialTimeout, handshakeTimeout, backoffMin,
                backoffMax, entryRefresh, new YamuxConfig(yamux.acceptBacklog(), yamux.maxStreamWindow(), interval, timeout,
                        yamux.streamOpenTimeout(), yamux.streamCloseTimeout()));
    }

    public DmsgSettings withTimings(Duration callTimeout, Duration dialTimeout, Duration handshakeTimeout,
                                    Duration backoffMin, Duration backoffMax) {
        return new DmsgSettings(discovery, sessions, pinned, callTimeout, dialTimeout, handshakeTimeout, backoffMin,
                backoffMax, entryRefresh, yamux);
    }

    public DmsgSettings withEntryRefresh(Duration every) {
        return new DmsgSettings(discovery, sessions, pinned, callTimeout, dialTimeout, handshakeTimeout, backoffMin,
                backoffMax, every, yamux);
    }
}
