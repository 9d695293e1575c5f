package io.skychat.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chooses the network for each message, as upstream does and one step further:
 * <ul>
 *   <li>a network asked for is used as asked (it must be enabled);</li>
 *   <li>{@code auto}: an open link to the peer if there is one, else dmsg at once;</li>
 *   <li>the node's default otherwise (skynet under a visor; standalone: {@code auto} when a relay network
 *       is on, else TCP-direct), unless this peer was recently reached only over the fallback, which is then
 *       remembered for {@value #REMEMBER_MINUTES} minutes so each message does not fail over again.</li>
 * </ul>
 * A message routed by default or {@code auto} is routed again on every delivery attempt, so a queue waiting
 * for a dead network drains over one that works.
 */
public final class Router {

    static final long REMEMBER_MINUTES = 10;
    static final int REMEMBERED_PEERS = 4096;
    /** Preference among open links for {@code auto}: the relay networks first, as upstream. */
    private static final TransportKind[] OPEN_LINK_ORDER = {TransportKind.SKYNET, TransportKind.DMSG,
            TransportKind.TCP_DIRECT};

    private final PeerLinks links;
    private final TransportKind defaultNetwork; // null = auto
    private final Clock clock;
    private final Map<PeerKey, Remembered> fallbacks = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<PeerKey, Remembered> eldest) {
                    return size() > REMEMBERED_PEERS;
                }
            });

    private record Remembered(TransportKind network, Instant until) {
    }

    /** @param defaultNetwork the node's default, or null for {@code auto} */
    public Router(PeerLinks links, TransportKind defaultNetwork, Clock clock) {
        this.links = links;
        this.defaultNetwork = defaultNetwork;
        this.clock = clock;
    }

    /** The node's default: null means {@code auto}. */
    public TransportKind defaultNetwork() {
        return defaultNetwork;
    }

    /**
     * The network for a message to {@code peer}: {@code requested} when given (null = not asked); with
     * {@code auto} or no default, an open link or dmsg.
     */
    public TransportKind choose(PeerKey peer, TransportKind requested, boolean auto) {
        if (requested != null) {
            if (!links.isEnabled(requested)) {
                throw TransportException.notEnabled(requested);
            }
            return requested;
        }
        if (auto || defaultNetwork == null) {
            return auto(peer);
        }
        TransportKind remembered = remembered(peer);
        if (remembered != null) {
            return remembered;
        }
        if (links.isEnabled(defaultNetwork)) {
            return defaultNetwork;
        }
        return auto(peer);
    }

    private TransportKind auto(PeerKey peer) {
        TransportKind remembered = remembered(peer);
        if (remembered != null && links.openLink(remembered, peer) != null) {
            return remembered;
        }
        for (TransportKind kind : OPEN_LINK_ORDER) {
            if (links.isEnabled(kind) && links.openLink(kind, peer) != null) {
                return kind;
            }
        }
        for (TransportKind kind : new TransportKind[] {TransportKind.DMSG, defaultNetwork, TransportKind.SKYNET,
                TransportKind.TCP_DIRECT}) {
            if (kind != null && links.isEnabled(kind)) {
                return kind;
            }
        }
        throw TransportException.notEnabled(TransportKind.DMSG);
    }

    /** {@code peer} could not be reached over {@code failed} but was over {@code used}. */
    public void fellBack(PeerKey peer, TransportKind failed, TransportKind used) {
        fallbacks.put(peer, new Remembered(used, clock.instant().plus(Duration.ofMinutes(REMEMBER_MINUTES))));
    }

    /** {@code peer} was reached over {@code used} as chosen: a fallback remembered for it no longer applies. */
    public void reached(PeerKey peer, TransportKind used) {
        Remembered r = fallbacks.get(peer);
        if (r != null && r.network() != used) {
            fallbacks.remove(peer);
        }
    }

    private TransportKind remembered(PeerKey peer) {
        Remembered r = fallbacks.get(peer);
        if (r == null) {
            return null;
        }
        if (r.until().isBefore(clock.instant()) || !links.isEnabled(r.network())) {
            fallbacks.remove(peer);
            return null;
        }
        return r.network();
    }
}
