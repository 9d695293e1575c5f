package io.skychat.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The upstream vector files on the test classpath ({@code /vectors/}); a missing field fails the test. */
public final class VectorFiles {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HexFormat HEX = HexFormat.of();

    private VectorFiles() {
    }

    public static JsonNode load(String name) {
        try (InputStream in = VectorFiles.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("vector file /vectors/" + name + " is not on the classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode field(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new IllegalStateException("vector field '" + field + "' is missing");
        }
        return value;
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = field(node, field);
        if (value.isNull()) {
            throw new IllegalStateException("vector field '" + field + "' is null");
        }
        return value.asString();
    }

    public static byte[] bytes(JsonNode node, String field) {
        return HEX.parseHex(text(node, field));
    }

    public static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    public static byte[] unhex(String s) {
        return HEX.parseHex(s);
    }
}
