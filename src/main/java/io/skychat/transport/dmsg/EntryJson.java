package io.skychat.transport.dmsg;

import io.skychat.core.PeerKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discovery entry JSON exactly as upstream's encoder (json-iterator ConfigFastest) writes it: struct field
 * order, no spaces, omitted empties, no HTML escaping. Signatures are checked over these bytes, so the
 * writer is hand-made rather than left to a mapper's defaults.
 */
final class EntryJson {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private EntryJson() {
    }

    /** The entry as upstream marshals it; without the signature this is what gets signed. */
    static byte[] write(DiscoveryEntry e, boolean withSignature) {
        StringBuilder b = new StringBuilder(320);
        b.append("{\"version\":");
        string(b, e.version());
        b.append(",\"sequence\":").append(e.sequence());
        b.append(",\"timestamp\":").append(e.timestamp());
        b.append(",\"static\":\"").append(e.staticKey().hex()).append('"');
        if (e.client() != null) {
            b.append(",\"client\":{\"delegated_servers\":");
            List<PeerKey> servers = e.client().delegatedServers();
            if (servers.isEmpty()) {
                b.append("null"); // upstream's nil slice
            } else {
                b.append('[');
                for (int i = 0; i < servers.size(); i++) {
                    b.append(i == 0 ? "\"" : ",\"").append(servers.get(i).hex()).append('"');
                }
                b.append(']');
            }
            b.append('}');
        }
        if (!e.clientType().isEmpty()) {
            b.append(",\"client_type\":");
            string(b, e.clientType());
        }
        if (e.server() != null) {
            b.append(",\"server\":{\"address\":");
            string(b, e.server().address());
            b.append(",\"availableSessions\":").append(e.server().availableSessions());
            if (!e.server().serverType().isEmpty()) {
                b.append(",\"serverType\":");
                string(b, e.server().serverType());
            }
            b.append('}');
        }
        if (withSignature && e.signature() != null) {
            b.append(",\"signature\":\"").append(e.signature()).append('"');
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One entry as it came, and the bytes its signer signed. */
    record Parsed(DiscoveryEntry entry, byte[] signedBytes) {
    }

    static JsonNode tree(byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw DiscoveryException.malformed("empty body");
            }
            return node;
        } catch (JacksonException e) {
            throw DiscoveryException.malformed("not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /**
     * Reads the known fields and keeps unknown ones out of the entry; the signed bytes are the object as
     * received minus its signature, so fields a newer upstream adds still verify.
     */
    static Parsed parse(JsonNode node) {
        try {
            return parseObject(node);
        } catch (IllegalArgumentException e) {
            throw DiscoveryException.malformed(e.getMessage()); // a value the entry's own checks refuse
        }
    }

    private static Parsed parseObject(JsonNode node) {
        if (!node.isObject()) {
            throw DiscoveryException.malformed("expected a JSON object, got " + node.getNodeType());
        }
        String version = requiredString(node, "version");
        long sequence = unsignedLong(node, "sequence");
        long timestamp = signedLong(node.get("timestamp"), "timestamp");
        PeerKey staticKey = key(requiredString(node, "static"), "static");
        DiscoveryEntry.Client client = null;
        JsonNode c = node.get("client");
        if (c != null && !c.isNull()) {
            if (!c.isObject()) {
                throw DiscoveryException.malformed("client must be an object");
            }
            client = new DiscoveryEntry.Client(keys(c.get("delegated_servers")));
        }
        String clientType = optionalString(node, "client_type");
        DiscoveryEntry.Server server = null;
        JsonNode s = node.get("server");
        if (s != null && !s.isNull()) {
            if (!s.isObject()) {
                throw DiscoveryException.malformed("server must be an object");
            }
            server = new DiscoveryEntry.Server(requiredString(s, "address"),
                    signedLong(s.get("availableSessions"), "server.availableSessions"), optionalString(s, "serverType"));
        }
        String signature = optionalString(node, "signature");
        DiscoveryEntry entry = new DiscoveryEntry(version, sequence, timestamp, staticKey, client, clientType, server,
                signature.isEmpty() ? null : signature);
        return new Parsed(entry, compactWithoutSignature(node));
    }

    private static byte[] compactWithoutSignature(JsonNode object) {
        StringBuilder b = new StringBuilder(320).append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (field.getKey().equals("signature")) {
                continue;
            }
            b.append(first ? "" : ",");
            first = false;
            string(b, field.getKey());
            b.append(':');
            compact(b, field.getValue());
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void compact(StringBuilder b, JsonNode n) {
        if (n.isObject()) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> field : n.properties()) {
                b.append(first ? "" : ",");
                first = false;
                string(b, field.getKey());
                b.append(':');
                compact(b, field.getValue());
            }
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            for (int i = 0; i < n.size(); i++) {
                b.append(i == 0 ? "" : ",");
                compact(b, n.get(i));
            }
            b.append(']');
        } else if (n.isString()) {
            string(b, n.asString());
        } else if (n.isIntegralNumber()) {
            b.append(n.bigIntegerValue());
        } else if (n.isBoolean()) {
            b.append(n.booleanValue());
        } else if (n.isNull()) {
            b.append("null");
        } else {
            // Go's float formatting is not reproduced; such an entry could not be verified anyway.
            throw DiscoveryException.malformed("unsupported JSON value " + n.getNodeType());
        }
    }

    /** Go's string escaping without the HTML set: quote, backslash, controls, U+2028/9, bad UTF-16 as U+FFFD. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\u2028' -> b.append("\\u2028");
                case '\u2029' -> b.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX_DIGITS[c >> 4]).append(HEX_DIGITS[c & 0xf]);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        b.append("\\ufffd");
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static String requiredString(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) {
            throw DiscoveryException.malformed("'" + field + "' must be a string");
        }
        return v.asString();
    }

    private static String optionalString(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isString()) {
            throw DiscoveryException.malformed("'" + field + "' must be a string");
        }
        return v.asString();
    }

    private static long unsignedLong(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || v.bigIntegerValue().signum() < 0 || v.bigIntegerValue().compareTo(MAX_U64) > 0) {
            throw DiscoveryException.malformed("'" + field + "' must be an unsigned 64-bit integer");
        }
        if (!v.canConvertToLong()) {
            throw DiscoveryException.malformed("'" + field + "' " + v.bigIntegerValue() + " is beyond what this node handles");
        }
        return v.longValue();
    }

    private static long signedLong(JsonNode v, String field) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw DiscoveryException.malformed("'" + field + "' must be a 64-bit integer");
        }
        return v.longValue();
    }

    private static List<PeerKey> keys(JsonNode array) {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw DiscoveryException.malformed("'delegated_servers' must be an array");
        }
        List<PeerKey> keys = new ArrayList<>(array.size());
        for (JsonNode k : array) {
            if (!k.isString()) {
                throw DiscoveryException.malformed("'delegated_servers' must hold public keys");
            }
            keys.add(key(k.asString(), "delegated_servers"));
        }
        return Collections.unmodifiableList(keys);
    }

    private static PeerKey key(String hex, String field) {
        try {
            return PeerKey.parse(hex);
        } catch (IllegalArgumentException e) {
            throw DiscoveryException.malformed("'" + field + "': " + e.getMessage());
        }
    }
}
