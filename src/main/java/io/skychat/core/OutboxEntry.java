package io.skychat.core;

import java.time.Instant;

/** A message accepted from the user and not yet acknowledged by the peer. */
public record OutboxEntry(MessageId id, PeerKey peer, String text, MessageId replyTo, TransportKind network,
                          Instant createdAt, Instant expiresAt, int attempts) {

    public OutboxEntry {
        if (id == null || peer == null || text == null || createdAt == null || expiresAt == null) {
            throw new IllegalArgumentException("outbox entry is missing a field");
        }
    }

    public Envelope envelope() {
        return new Envelope.ChatMsg(id, text, true, replyTo);
    }
}
