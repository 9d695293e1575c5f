package io.skychat.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A request to send a direct message. {@code network} null means "the node's default", or with
 * {@code auto} "an open link if there is one, else dmsg"; {@code waitForAck} null means do not wait for
 * the peer's receipt.
 */
public record SendCommand(PeerKey recipient, String text, TransportKind network, Duration waitForAck,
                          MessageId replyTo, boolean auto) {

    /** Largest chat frame payload on the wire; the envelope around the text has to fit too. */
    public static final int MAX_FRAME_PAYLOAD = 65536;
    public static final Duration MIN_WAIT = Duration.ofMillis(100);
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    public SendCommand {
        if (recipient == null) {
            throw SkychatException.invalidRecipient("recipient is required");
        }
        if (text == null || text.isEmpty()) {
            throw SkychatException.badRequest("message is empty");
        }
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_FRAME_PAYLOAD) {
            throw SkychatException.messageTooLarge(size, MAX_FRAME_PAYLOAD);
        }
        if (waitForAck != null) {
            waitForAck = clamp(waitForAck);
        }
        if (auto && network != null) {
            throw SkychatException.badRequest("network: auto and " + network.label() + " cannot both be asked for");
        }
    }

    public SendCommand(PeerKey recipient, String text, TransportKind network, Duration waitForAck, MessageId replyTo) {
        this(recipient, text, network, waitForAck, replyTo, false);
    }

    /** Upstream clamps the ack wait to 100 ms..60 s. */
    static Duration clamp(Duration d) {
        if (d.compareTo(MIN_WAIT) < 0) {
            return MIN_WAIT;
        }
        return d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
    }
}
