package io.skychat.core;

import java.time.Instant;

/**
 * Everything the service tells its subscribers (SSE, /events). One sealed family so groups, pairs and
 * system notices slot in as new records without changing the hub that fans them out.
 */
public sealed interface ChatEvent {

    /** Stable id subscribers deduplicate by; also the SSE {@code id:} line. */
    String id();

    Instant timestamp();

    /** A direct message, either received ({@link Direction#IN}) or sent by this node ({@link Direction#OUT}). */
    record DirectMessage(MessageId messageId, Direction direction, PeerKey sender, PeerKey recipient,
                         TransportKind network, String text, MessageId replyTo, Instant timestamp)
            implements ChatEvent {
        public DirectMessage {
            if (messageId == null || direction == null || sender == null || recipient == null
                    || network == null || text == null || timestamp == null) {
                throw new IllegalArgumentException("direct message is missing a field");
            }
        }

        public PeerKey peer() {
            return direction == Direction.IN ? sender : recipient;
        }

        /** Length in UTF-8 bytes, as upstream reports it. */
        public int length() {
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }

        @Override
        public String id() {
            return messageId.value();
        }
    }

    /** A state change of a message this node sent. */
    record DeliveryStatus(MessageId messageId, DeliveryState state, PeerKey peer, Instant timestamp)
            implements ChatEvent {
        public DeliveryStatus {
            if (messageId == null || state == null || peer == null || timestamp == null) {
                throw new IllegalArgumentException("delivery status is missing a field");
            }
        }

        @Override
        public String id() {
            return messageId.value() + ":" + state.label();
        }
    }

    /** A message of a pair feed: received from the peer ({@link Direction#IN}) or published by this node. */
    record PairText(String messageId, Direction direction, PeerKey sender, PeerKey peer, String text,
                    Instant timestamp) implements ChatEvent {
        public PairText {
            if (messageId == null || direction == null || sender == null || peer == null || text == null
                    || timestamp == null) {
                throw new IllegalArgumentException("pair message is missing a field");
            }
        }

        @Override
        public String id() {
            return messageId;
        }
    }

    /** A step of the pairing handshake with {@code peer}: {@code received}, {@code accepted} or {@code declined}. */
    record PairHandshake(PeerKey peer, String event, Instant timestamp) implements ChatEvent {
        public PairHandshake {
            if (peer == null || event == null || timestamp == null) {
                throw new IllegalArgumentException("pair handshake event is missing a field");
            }
        }

        @Override
        public String id() {
            return "pair-" + event + ":" + peer.hex() + ":" + timestamp.toEpochMilli();
        }
    }

    /**
     * A message of a group: received from a member's feed ({@link Direction#IN}) or published by this node.
     * {@code messageId} is unique within the group ({@code <sender hex>-<ts unixnano>-<seq>}).
     */
    record GroupText(String messageId, Direction direction, String groupId, PeerKey sender, String text,
                     Instant timestamp, long tsNano) implements ChatEvent {
        public GroupText {
            if (messageId == null || direction == null || groupId == null || sender == null || text == null
                    || timestamp == null) {
                throw new IllegalArgumentException("group message is missing a field");
            }
        }

        @Override
        public String id() {
            return "group:" + groupId + ":" + messageId;
        }
    }
}
