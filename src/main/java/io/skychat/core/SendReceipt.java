package io.skychat.core;

import java.time.Duration;

/**
 * The outcome of a send. {@code acked} is null when the caller did not wait for a receipt; otherwise it
 * says whether the peer's chat-ack arrived within the wait, and {@code elapsed} how long it took.
 */
public record SendReceipt(MessageId id, TransportKind network, Boolean acked, Duration elapsed) {
}
