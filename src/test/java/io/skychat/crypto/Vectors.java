package io.skychat.crypto;

import io.skychat.core.PeerKey;
import java.io.IOException;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;

/** Reads the upstream vector files from the test classpath; a missing field fails the test. */
final class Vectors {

    private static final HexFormat HEX = HexFormat.of();

    private Vectors() {
    }

    static JsonNode load(String name) {
        return io.skychat.support.VectorFiles.load(name);
    }

    static String text(JsonNode node, String field) {
        return io.skychat.support.VectorFiles.text(node, field);
    }

    static byte[] bytes(JsonNode node, String field) {
        return HEX.parseHex(text(node, field));
    }

    static PeerKey key(JsonNode node, String field) {
        return PeerKey.parse(text(node, field));
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    static byte[] unhex(String s) {
        return HEX.parseHex(s);
    }
}
