package io.skychat.feed;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads the upstream CXO vector files from the test classpath; a missing field fails the test. */
public final class FeedVectors {

    private static final HexFormat HEX = HexFormat.of();

    private FeedVectors() {
    }

    public static JsonNode load(String name) {
        return io.skychat.support.VectorFiles.load(name);
    }

    public static JsonNode field(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalStateException("vector field '" + field + "' is missing");
        }
        return value;
    }

    public static String text(JsonNode node, String field) {
        return io.skychat.support.VectorFiles.text(node, field);
    }

    public static long number(JsonNode node, String field) {
        return field(node, field).asLong();
    }

    public static byte[] bytes(JsonNode node, String field) {
        return HEX.parseHex(text(node, field));
    }

    public static List<JsonNode> list(JsonNode node, String field) {
        return field(node, field).valueStream().toList();
    }

    public static PeerKey key(JsonNode node, String field) {
        return PeerKey.parse(text(node, field));
    }

    public static KeyPair keyPair(JsonNode node) {
        return KeyPair.fromSecretHex(text(node, "sk"));
    }

    public static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    public static byte[] unhex(String s) {
        return HEX.parseHex(s);
    }
}
