package io.skychat.core;

import java.time.Instant;

/**
 * One row of conversation history. {@code status} is set on outgoing rows only.
 *
 * @param peer     the other side of the conversation
 * @param from     who wrote it
 */
public record StoredMessage(MessageId id, PeerKey peer, PeerKey from, boolean outgoing, String text,
                            Instant timestamp, MessageId replyTo, TransportKind network, DeliveryState status) {

    public StoredMessage {
        if (id == null || peer == null || from == null || text == null || timestamp == null) {
            throw new IllegalArgumentException("stored message is missing a field");
        }
        if (outgoing && status == null) {
            throw new IllegalArgumentException("an outgoing message needs a delivery status");
        }
    }

    public int size() {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
