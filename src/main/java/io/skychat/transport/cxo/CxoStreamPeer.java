package io.skychat.transport.cxo;

import java.util.Locale;

import io.skychat.core.PeerKey;
import io.skychat.core.TransportKind;

/**
 * A feed node to keep a stream to over a relay network, {@code dmsg://<pk>} or {@code skynet://<pk>} (the
 * relay form of {@code --cxo-peer}); the network finds the key, the port is the CXO port.
 */
public record CxoStreamPeer(TransportKind network, PeerKey key) {

    public CxoStreamPeer {
        if (network == null || network == TransportKind.TCP_DIRECT || key == null) {
            throw new IllegalArgumentException("cxo-peer over a relay needs dmsg:// or skynet:// and a key");
        }
    }

    /** Whether {@code spec} names a relay network rather than a TCP address. */
    public static boolean isRelay(String spec) {
        String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
        return s.startsWith("dmsg://") || s.startsWith("skynet://");
    }

    public static CxoStreamPeer parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        int sep = s.indexOf("://");
        if (sep <= 0 || !isRelay(s)) {
            throw new IllegalArgumentException("cxo-peer: must start with \"tcp://\", \"dmsg://\" or \"skynet://\": " + s);
        }
        TransportKind network = TransportKind.parse(s.substring(0, sep));
        String pk = s.substring(sep + 3);
        try {
            return new CxoStreamPeer(network, PeerKey.parse(pk));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cxo-peer: invalid pk \"" + pk + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return network.label() + "://" + key;
    }
}
