package io.skychat.transport.dmsg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;

/** The upstream dmsg vector files on the test classpath; a missing field fails the test. */
final class WireVectorFiles {

    private static final HexFormat HEX = HexFormat.of();

    private WireVectorFiles() {
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

    static byte[] utf8(JsonNode node, String field) {
        return text(node, field).getBytes(StandardCharsets.UTF_8);
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    static byte[] unhex(String s) {
        return HEX.parseHex(s);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
