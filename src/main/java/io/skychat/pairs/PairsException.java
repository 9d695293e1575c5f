package io.skychat.pairs;

import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;

/** A pairing request that cannot be done as asked. */
public final class PairsException extends SkychatException {

    private PairsException(String type, String message) {
        super(type, message, null);
    }

    public static PairsException off() {
        return new PairsException("pairing-off", "pairing is off on this node (start it with --pair-enable)");
    }

    static PairsException notFound(PeerKey peer) {
        return new PairsException("pair-not-found", "no pair with " + peer.hex());
    }

    static PairsException noInvite(PeerKey peer) {
        return new PairsException("pair-not-found", "no pending invite from " + peer.hex());
    }

    static PairsException notActive(PeerKey peer, PairStatus status) {
        return new PairsException("pair-not-active", "pair with " + peer.hex() + " is " + status.label() + ", not active");
    }

    static PairsException self() {
        return new PairsException("bad-request", "cannot pair with this node's own key");
    }
}
