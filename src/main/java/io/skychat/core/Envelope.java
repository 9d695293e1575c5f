package io.skychat.core;

/**
 * One chat frame's payload, typed. Upstream sends either legacy plain text or a small JSON envelope;
 * anything that is not a known envelope is plain text, so a user typing "{}" still reaches the peer.
 */
public sealed interface Envelope {

    /** A chat message; {@code ack} asks the receiver to answer with {@link ChatAck} on the same link. */
    record ChatMsg(MessageId id, String body, boolean ack, MessageId replyTo) implements Envelope {
        public ChatMsg {
            if (id == null) {
                throw new IllegalArgumentException("chat-msg needs an id");
            }
            if (body == null) {
                throw new IllegalArgumentException("chat-msg needs a body");
            }
        }
    }

    record ChatAck(MessageId id) implements Envelope {
        public ChatAck {
            if (id == null) {
                throw new IllegalArgumentException("chat-ack needs an id");
            }
        }
    }

    record ChatRead(MessageId id) implements Envelope {
        public ChatRead {
            if (id == null) {
                throw new IllegalArgumentException("chat-read needs an id");
            }
        }
    }

    record ChatDelete(MessageId id) implements Envelope {
        public ChatDelete {
            if (id == null) {
                throw new IllegalArgumentException("chat-delete needs an id");
            }
        }
    }

    /** Pairing handshake control frames; their handling arrives with the pairing feature. */
    enum PairControl implements Envelope {
        INVITE("pair-invite"), ACK("pair-ack"), DECLINE("pair-decline");

        private final String type;

        PairControl(String type) {
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    /** Legacy payload: the whole frame is the message text, with no id. */
    record PlainText(String text) implements Envelope {
        public PlainText {
            if (text == null) {
                throw new IllegalArgumentException("text is null");
            }
        }
    }
}
