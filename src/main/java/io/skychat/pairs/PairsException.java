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

    static PairsException cannotRetract(String feeds) {
        return new PairsException("pair-unsupported", "the " + feeds + " pair feeds cannot retract a message "
                + "(upstream's visor pair RPC has no call for it)");
    }

    /** The visor's pair RPC refused a call, or could not be reached. */
    public static PairsException visor(String call, String why) {
        return new PairsException("pair-visor", "the visor's pair RPC " + call + " failed: " + why);
    }

    static PairsException self() {
        return new PairsException("bad-request", "cannot pair with this node's own key");
    }
}
