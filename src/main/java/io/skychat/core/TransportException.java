package io.skychat.core;

/** A network failure talking to a peer. Factories name the cases so callers and the API can tell them apart. */
public class TransportException extends SkychatException {

    private final PeerKey peer;
    private final TransportKind kind;

    TransportException(String type, String message, PeerKey peer, TransportKind kind, Throwable cause) {
        super(type, message, cause);
        this.peer = peer;
        this.kind = kind;
    }

    public static TransportException unreachable(PeerKey peer, TransportKind kind, String why, Throwable cause) {
        return new TransportException("peer-unreachable",
                "cannot reach " + peer + " over " + kind + ": " + why, peer, kind, cause);
    }

    public static TransportException notEnabled(TransportKind kind) {
        return new TransportException("network-unavailable",
                "network " + kind + " is not enabled on this node", null, kind, null);
    }

    public static TransportException linkClosed(PeerKey peer, TransportKind kind) {
        return new TransportException("link-closed",
                "connection to " + peer + " over " + kind + " closed", peer, kind, null);
    }

    public static TransportException protocol(PeerKey peer, TransportKind kind, String why) {
        return new TransportException("protocol-error",
                "protocol error from " + (peer == null ? "unauthenticated peer" : peer) + " over " + kind + ": " + why,
                peer, kind, null);
    }

    public PeerKey peer() {
        return peer;
    }

    public TransportKind kind() {
        return kind;
    }
}
