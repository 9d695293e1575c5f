package io.skychat.core;

import java.util.Locale;

/** Where an outgoing message is on its way to the peer. Only a chat-ack moves a message to RECEIVED. */
public enum DeliveryState {
    QUEUED, SENT, RECEIVED, READ, FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** States only move forward; a late "received" never overwrites "read". */
    public boolean isAfter(DeliveryState other) {
        return other == null || ordinal() > other.ordinal();
    }
}
