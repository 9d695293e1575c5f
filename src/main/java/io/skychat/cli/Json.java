package io.skychat.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The CLI's one JSON mapper: lenient on unknown fields, so a newer service never breaks an older CLI. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private Json() {
    }

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    static <T> T read(String json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JacksonException e) {
            throw CliException.failed("unexpected " + what + " from the service: " + e.getOriginalMessage());
        }
    }

    static JsonNode tree(String json, String what) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw CliException.failed("unexpected " + what + " from the service: " + e.getOriginalMessage());
        }
    }

    /** The node re-serialized on one line, for NDJSON output. */
    static String oneLine(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }
}
