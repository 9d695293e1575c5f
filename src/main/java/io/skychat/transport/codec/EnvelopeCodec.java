package io.skychat.transport.codec;

import java.nio.charset.StandardCharsets;

import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chat frame payload ↔ {@link Envelope}. Recognition is conservative, as upstream's: only a JSON object
 * with a known {@code type} is an envelope; everything else, including broken JSON, is plain text.
 */
public final class EnvelopeCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EnvelopeCodec() {
    }

    public static byte[] encode(Envelope envelope) {
        if (envelope instanceof Envelope.PlainText text) {
            return text.text().getBytes(StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(128);
        encodeInto(envelope, out);
        return out.toByteArray();
    }

    /**
     * Writes the payload of {@code envelope} to {@code out} without building it in memory first (the chat
     * frame codec writes it straight into the outgoing buffer); the same bytes as {@link #encode}.
     */
    public static void encodeInto(Envelope envelope, java.io.OutputStream out) {
        if (envelope instanceof Envelope.PlainText text) {
            try {
                out.write(text.text().getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return;
        }
        try (tools.jackson.core.JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            // Field order and omitted empties follow upstream's struct tags (omitempty).
            if (envelope instanceof Envelope.ChatMsg msg) {
                g.writeStringProperty("type", "chat-msg").writeStringProperty("id", msg.id().value());
                if (!msg.body().isEmpty()) {
                    g.writeStringProperty("body", msg.body());
                }
                if (msg.ack()) {
                    g.writeBooleanProperty("ack", true);
                }
                if (msg.replyTo() != null) {
                    g.writeStringProperty("reply_to", msg.replyTo().value());
                }
            } else if (envelope instanceof Envelope.ChatAck ack) {
                g.writeStringProperty("type", "chat-ack").writeStringProperty("id", ack.id().value());
            } else if (envelope instanceof Envelope.ChatRead read) {
                g.writeStringProperty("type", "chat-read").writeStringProperty("id", read.id().value());
            } else if (envelope instanceof Envelope.ChatDelete delete) {
                g.writeStringProperty("type", "chat-delete").writeStringProperty("id", delete.id().value());
            } else if (envelope instanceof Envelope.PairControl pair) {
                g.writeStringProperty("type", pair.type());
            }
            g.writeEndObject();
        }
    }

    public static Envelope decode(byte[] payload) {
        return decode(payload, 0, payload.length);
    }

    /** As {@link #decode(byte[])}, for the payload at {@code payload[off..off+len)}. */
    public static Envelope decode(byte[] payload, int off, int len) {
        String text = new String(payload, off, len, StandardCharsets.UTF_8);
        String trimmed = text.strip();
        if (!trimmed.startsWith("{")) {
            return new Envelope.PlainText(text);
        }
        JsonNode node;
        try {
            node = JSON.readTree(trimmed);
        } catch (JacksonException e) {
            return new Envelope.PlainText(text);
        }
        if (node == null || !node.isObject() || !node.path("type").isString()) {
            return new Envelope.PlainText(text);
        }
        MessageId id = MessageId.parseOrNull(node.path("id").isString() ? node.path("id").asString() : null);
        String type = node.path("type").asString();
        switch (type) {
            case "chat-msg": {
                String body = node.path("body").isString() ? node.path("body").asString() : "";
                if (id == null) {
                    return new Envelope.PlainText(body); // no usable id: show it, but it cannot be acked
                }
                MessageId replyTo = MessageId.parseOrNull(
                        node.path("reply_to").isString() ? node.path("reply_to").asString() : null);
                return new Envelope.ChatMsg(id, body, node.path("ack").asBoolean(false), replyTo);
            }
            case "chat-ack":
                return id == null ? new Envelope.PlainText(text) : new Envelope.ChatAck(id);
            case "chat-read":
                return id == null ? new Envelope.PlainText(text) : new Envelope.ChatRead(id);
            case "chat-delete":
                return id == null ? new Envelope.PlainText(text) : new Envelope.ChatDelete(id);
            case "pair-invite":
                return Envelope.PairControl.INVITE;
            case "pair-ack":
                return Envelope.PairControl.ACK;
            case "pair-decline":
                return Envelope.PairControl.DECLINE;
            default:
                return new Envelope.PlainText(text);
        }
    }
}
