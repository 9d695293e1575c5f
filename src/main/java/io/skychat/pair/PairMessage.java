package io.skychat.pair;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The plaintext of a pair leaf (upstream {@code pairing.Message}): JSON {@code text} (always present),
 * {@code ts}, then {@code type}, {@code id}, {@code seq} when not empty/zero. A delete record has type
 * "delete", the target's id, and empty text.
 */
public record PairMessage(String text, Instant ts, String type, String id, long seq) {

    public static final String DELETE = "delete";
    public static final String PATH_PREFIX = "msgs";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public PairMessage {
        if (text == null || ts == null || type == null || id == null || seq < 0) {
            throw new IllegalArgumentException("text, ts, type and id are required (may be empty); seq ≥ 0");
        }
    }

    public static PairMessage chat(String text, Instant ts, long seq) {
        return new PairMessage(text, ts, "", "", seq);
    }

    public static PairMessage delete(String targetId, Instant ts, long seq) {
        return new PairMessage("", ts, DELETE, targetId, seq);
    }

    /** {@code <ts unixnano>-<seq>}: how both ends name this message, e.g. in a later delete. */
    public String msgId() {
        return GoJson.unixNano(ts) + "-" + Long.toUnsignedString(seq);
    }

    /** {@code msgs/<ts unixnano>/<seq>}, decimal, not padded. */
    public String leafPath() {
        return PATH_PREFIX + "/" + GoJson.unixNano(ts) + "/" + Long.toUnsignedString(seq);
    }

    /** Receivers skip records of a type they do not know, so a future control record shows nothing. */
    public boolean isChat() {
        return type.isEmpty();
    }

    public byte[] toJson() {
        StringBuilder s = new StringBuilder("{\"text\":");
        GoJson.quote(s, text);
        s.append(",\"ts\":\"").append(GoJson.time(ts)).append('"');
        if (!type.isEmpty()) {
            GoJson.quote(s.append(",\"type\":"), type);
        }
        if (!id.isEmpty()) {
            GoJson.quote(s.append(",\"id\":"), id);
        }
        if (seq != 0) {
            s.append(",\"seq\":").append(Long.toUnsignedString(seq));
        }
        return s.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    public static PairMessage fromJson(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject() || !n.path("ts").isString()) {
                throw PairException.malformed("pair message is not a JSON object with a ts");
            }
            long seq = n.path("seq").isMissingNode() ? 0 : n.path("seq").asLong();
            return new PairMessage(n.path("text").asString(""), OffsetDateTime.parse(n.get("ts").asString()).toInstant(),
                    n.path("type").asString(""), n.path("id").asString(""), seq);
        } catch (JacksonException | DateTimeParseException | IllegalArgumentException e) {
            throw PairException.malformed("pair message JSON: " + e.getMessage());
        }
    }
}
