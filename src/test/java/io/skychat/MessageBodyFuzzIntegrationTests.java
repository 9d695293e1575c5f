package io.skychat;

import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import io.skychat.support.Fuzz;
import io.skychat.support.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mutated JSON bodies for {@code POST /message} against a running service. The node runs in visor mode
 * with no relay network, so even a body that survives mutation intact cannot leave: every answer must be
 * a 4xx problem+json with a skychat type, never a 5xx.
 */
class MessageBodyFuzzIntegrationTests {

    static final long[] SEEDS = Fuzz.SEEDS;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<byte[]> CORPUS = List.of(
            body("{\"recipient\":\"" + BOB_PK + "\",\"message\":\"hello\"}"),
            body("{\"recipient\":\"" + BOB_PK + "\",\"message\":\"hi\",\"network\":\"dmsg\",\"wait_ms\":100}"),
            body("{\"recipient\":\"" + BOB_PK + "\",\"message\":\"\\u00e9\\ud83d\\ude00\",\"reply_to\":\"8077ca12ee05c806\"}"),
            body("{\"recipient\":\"" + BOB_PK + "\",\"message\":\"x\",\"network\":\"skynet\",\"wait_ms\":-1}"),
            body("{\"recipient\":null,\"message\":[1,2,{\"a\":true}],\"wait_ms\":1e3}"),
            body("[]"), body("\"just a string\""));

    @TempDir
    static Path work;
    static Node node;

    @BeforeAll
    static void start() {
        node = Node.start(work, "--sk", ALICE_SK);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void mutatedBodiesAlwaysGetAProblemNeverAServerError(long seed) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(240);
        for (int i = 0; i < n; i++) {
            byte[] input = Fuzz.next(CORPUS, r, 80);
            EntityExchangeResult<byte[]> result = node.http().post().uri("/message")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(input)
                    .exchange().expectBody().returnResult();
            String what = "seed " + seed + " input " + i + ": " + new String(input, StandardCharsets.UTF_8);
            assertThat(result.getResponseHeaders().getContentType()).as(what + " -> " + result.getStatus())
                    .matches(t -> t.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
            JsonNode problem = JSON.readTree(result.getResponseBody());
            // A mutation can turn the recipient into another valid key nobody serves: that is a 502 naming the
            // peer, not a server error. Anything else must be the client's fault.
            boolean unreachable = result.getStatus().value() == 502
                    && problem.path("type").asString().equals("urn:skychat:peer-unreachable");
            assertThat(result.getStatus().is4xxClientError() || unreachable).as(what + " -> " + result.getStatus())
                    .isTrue();
            assertThat(problem.path("type").asString()).as(what).startsWith("urn:skychat:");
            assertThat(problem.path("status").asInt()).as(what).isEqualTo(result.getStatus().value());
        }
        Fuzz.report("POST /message", seed, n);
    }

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
