package io.skychat.core;

import java.time.Duration;

/**
 * The outcome of a send. {@code acked} is null when the caller did not wait for a receipt; otherwise it
 * says whether the peer's chat-ack arrived within the wait, and {@code elapsed} how long it took.
 * {@code state} is where the message stood when the caller was answered: {@code QUEUED} (accepted, not
 * written yet), {@code SENT} (written to a link) or {@code RECEIVED} (acknowledged).
 */
public record SendReceipt(MessageId id, TransportKind network, Boolean acked, Duration elapsed, DeliveryState state) {
}
