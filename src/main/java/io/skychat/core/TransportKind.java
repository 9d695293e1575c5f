package io.skychat.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The networks a chat message can travel over, with the labels upstream uses on the wire and in JSON. */
public enum TransportKind {
    SKYNET("skynet"),
    DMSG("dmsg"),
    TCP_DIRECT("tcp-direct");

    private final String label;

    TransportKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** skynet and dmsg fall back to each other; other networks have no fallback. */
    public TransportKind fallback() {
        return switch (this) {
            case SKYNET -> DMSG;
            case DMSG -> SKYNET;
            case TCP_DIRECT -> null;
        };
    }

    public static TransportKind parse(String label) {
        String l = label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
        for (TransportKind k : values()) {
            if (k.label.equals(l)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown network '" + label + "': use one of "
                + Arrays.stream(values()).map(TransportKind::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
