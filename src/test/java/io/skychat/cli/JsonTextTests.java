package io.skychat.cli;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.BOB_PK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.skychat.api.dto.HistoryEntry;
import io.skychat.api.dto.SendMessageRequest;
import io.skychat.api.dto.SendMessageResponse;
import io.skychat.api.dto.StatusResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The quick verbs' JSON says and reads exactly what the mapper would. */
class JsonTextTests {

    @Test
    void everyApiRecordNamesItsPropertiesAsTheBinderExpects() {
        List<Class<?>> records = new ClassFileImporter().importPackages("io.skychat.api.dto").stream()
                .<Class<?>>map(c -> c.reflect()).filter(Class::isRecord).toList();
        assertThat(records).contains(StatusResponse.class, HistoryEntry.class, StatusResponse.GroupStatus.class);
        for (Class<?> r : records) {
            for (RecordComponent c : r.getRecordComponents()) {
                JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
                String expected = p == null || p.value().isEmpty() ? c.getName() : p.value();
                assertThat(JsonText.snakeCase(c.getName())).as(r.getSimpleName() + "." + c.getName()).isEqualTo(expected);
            }
        }
    }

    @Test
    void recordsAreBoundAsTheMapperBindsThem() {
        StatusResponse status = new StatusResponse(ALICE_PK, 2, 1, List.of(BOB_PK), true, false, 1, "v1", 3723, 5, 4, 1, 1,
                2, 3, 0, 7, "2026-11-25T12:00:00Z", "", List.of(new StatusResponse.GroupStatus("g1", "ops", "owner",
                        "ok", 3, null, 4, true, 0)), 2, 100, 0, 0, 9,
                List.of(new StatusResponse.NetworkStatus("tcp-direct", true, 2, false)));
        String json = Json.write(status);
        assertThat(JsonText.read(json, StatusResponse.class, "status")).isEqualTo(Json.read(json, StatusResponse.class, "status"))
                .isEqualTo(status);

        String unknown = json.substring(0, json.length() - 1) + ",\"unknown\":{\"x\":[1,2]}}";
        assertThat(JsonText.read(unknown, StatusResponse.class, "status")).isEqualTo(status);
        // a missing number is refused in the mapper's words
        String sparse = "{\"visor_pk\":\"" + ALICE_PK + "\",\"app_uptime_sec\":5}";
        assertThatThrownBy(() -> JsonText.read(sparse, StatusResponse.class, "status")).isInstanceOf(CliException.class)
                .hasMessage(catchMessage(() -> Json.read(sparse, StatusResponse.class, "status")));

        String row = "{\"peer\":\"" + BOB_PK + "\",\"outgoing\":true,\"text\":\"hi ✓\",\"id\":\"a1\",\"status\":\"acked\"}";
        assertThat(JsonText.bind(JsonText.tree(row, "t"), HistoryEntry.class, "t"))
                .isEqualTo(Json.MAPPER.treeToValue(Json.tree(row, "t"), HistoryEntry.class));

        // a type the binder does not take itself (a string where a number belongs) gets the mapper's verdict
        String coerced = "{\"acked\":true,\"id\":\"x\",\"ms\":\"12\"}";
        assertThat(JsonText.read(coerced, SendMessageResponse.class, "send answer"))
                .isEqualTo(Json.read(coerced, SendMessageResponse.class, "send answer"));
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (CliException e) {
            return e.getMessage();
        }
        throw new AssertionError("no failure");
    }

    @Test
    void valuesAreWrittenAsTheMapperWritesThem() {
        SendMessageRequest request = new SendMessageRequest(BOB_PK, "héllo \"you\"\n", null, 5000L, null);
        assertThat(JsonText.write(request)).isEqualTo(Json.write(request));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("peer_pk", BOB_PK);
        map.put("removed", true);
        map.put("n", 12L);
        map.put("list", List.of("a", "b"));
        assertThat(JsonText.write(map)).isEqualTo(Json.write(map));
        String text = "{\"a\":1,\"b\":12345678901,\"c\":1.5,\"d\":[true,null,\"\\u001b\"],\"e\":{},\"f\":123456789012345678901234}";
        JsonNode tree = JsonText.tree(text, "t");
        assertThat(tree).isEqualTo(Json.tree(text, "t"));
        assertThat(JsonText.oneLine(tree)).isEqualTo(Json.oneLine(Json.tree(text, "t")));
    }

    @Test
    void brokenJsonIsOneLineAndAFailure() {
        assertThatThrownBy(() -> JsonText.tree("{\"a\":", "status"))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(Cli.FAILED);
                    assertThat(e.getMessage()).startsWith("unexpected status from the service: ").doesNotContain("\n");
                });
    }
}
