package io.skychat.pairs;

/** Where a pair stands, as stored and as {@code GET /pair} reports it. */
public enum PairStatus {
    /** We invited the peer; the invite is retried until the peer answers or we remove it. */
    PENDING_OUT("pending-out"),
    /** The peer invited us; waiting for our accept or decline. */
    PENDING_IN("pending-in"),
    ACTIVE("active"),
    DECLINED("declined"),
    REVOKED("revoked");

    private final String label;

    PairStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static PairStatus of(String label) {
        for (PairStatus s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown pair status " + label);
    }
}
