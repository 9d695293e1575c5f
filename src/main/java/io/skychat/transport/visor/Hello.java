package io.skychat.transport.visor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Go {@code appcommon.Hello}, the app's first frame on the app server connection: uint16 big-endian length,
 * then JSON. The visor does not answer; an unknown proc key just closes the connection.
 */
public record Hello(ProcKey procKey, String egressNet, String egressAddr, Map<String, Boolean> eventSubs) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public Hello {
        Objects.requireNonNull(procKey, "procKey");
        egressNet = Objects.requireNonNullElse(egressNet, "");
        egressAddr = Objects.requireNonNullElse(egressAddr, "");
        eventSubs = eventSubs == null ? Map.of() : Map.copyOf(eventSubs);
    }

    /** What skychat sends: the key and nothing else. */
    public static Hello of(ProcKey procKey) {
        return new Hello(procKey, "", "", Map.of());
    }

    /** The frame, with the JSON exactly as Go's json.Marshal writes it (field order, omitempty, sorted map keys). */
    public byte[] encode() {
        StringBuilder json = new StringBuilder("{\"proc_key\":");
        GoJson.quote(procKey.hex(), json);
        if (!egressNet.isEmpty()) {
            json.append(",\"egress_net\":");
            GoJson.quote(egressNet, json);
        }
        if (!egressAddr.isEmpty()) {
            json.append(",\"egress_addr\":");
            GoJson.quote(egressAddr, json);
        }
        if (!eventSubs.isEmpty()) {
            json.append(",\"event_subs\":{");
            String sep = "";
            for (Map.Entry<String, Boolean> e : new TreeMap<>(eventSubs).entrySet()) {
                json.append(sep);
                GoJson.quote(e.getKey(), json);
                json.append(':').append(e.getValue());
                sep = ",";
            }
            json.append('}');
        }
        byte[] body = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        if (body.length > 0xffff) {
            throw new IllegalArgumentException("hello JSON is " + body.length + " bytes; the length prefix holds 65535");
        }
        return ByteBuffer.allocate(2 + body.length).putShort((short) body.length).put(body).array();
    }

    /** The visor side: the Hello at the start of {@code in}, consumed; empty until all of it has arrived. */
    public static Optional<Hello> decode(ByteBuffer in) {
        if (in.remaining() < 2) {
            return Optional.empty();
        }
        int length = Short.toUnsignedInt(in.getShort(in.position()));
        if (in.remaining() < 2 + length) {
            return Optional.empty();
        }
        byte[] body = new byte[length];
        in.position(in.position() + 2);
        in.get(body);
        return Optional.of(parse(body));
    }

    private static Hello parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw AppProtocolException.badHello("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw AppProtocolException.badHello("expected a JSON object");
        }
        JsonNode key = root.get("proc_key");
        if (key == null || !key.isString()) {
            throw AppProtocolException.badHello("proc_key is missing");
        }
        ProcKey procKey;
        try {
            procKey = ProcKey.parse(key.asString());
        } catch (IllegalArgumentException e) {
            throw AppProtocolException.badHello(e.getMessage());
        }
        Map<String, Boolean> subs = new TreeMap<>();
        JsonNode events = root.get("event_subs");
        if (events != null && events.isObject()) {
            for (Map.Entry<String, JsonNode> e : events.properties()) {
                if (!e.getValue().isBoolean()) {
                    throw AppProtocolException.badHello("event_subs." + e.getKey() + " must be true or false");
                }
                subs.put(e.getKey(), e.getValue().asBoolean());
            }
        }
        return new Hello(procKey, text(root, "egress_net"), text(root, "egress_addr"), subs);
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isString()) {
            throw AppProtocolException.badHello(field + " must be a string");
        }
        return v.asString();
    }
}
