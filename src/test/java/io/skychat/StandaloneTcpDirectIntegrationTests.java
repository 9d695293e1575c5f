package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static io.skychat.support.Keys.CAROL_PK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import io.skychat.support.Node;
import io.skychat.transport.tcp.TcpStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Upstream's "two instances on one host" walkthrough, run against two whole services on loopback. */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class StandaloneTcpDirectIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path work;
    static Node alice;
    static Node bob;

    @BeforeAll
    static void startBoth() throws Exception {
        alice = Node.start(work.resolve("a"), "--standalone", "--sk", ALICE_SK, "--tcp-listen", "127.0.0.1:0",
                "--tcp-whitelist", BOB_PK);
        bob = Node.start(work.resolve("b"), "--standalone", "--sk", BOB_SK,
                "--tcp-peer", "tcp://" + ALICE_PK + "@127.0.0.1:" + alice.tcpPort());
        await().atMost(Duration.ofSeconds(20)).until(() ->
                status(alice).path("active_peer_conns").asInt() == 1 && status(bob).path("active_peer_conns").asInt() == 1);
    }

    @AfterAll
    static void stopBoth() {
        if (bob != null) {
            bob.close();
        }
        if (alice != null) {
            alice.close();
        }
    }

    static JsonNode status(Node node) {
        return JSON.readTree(node.http().get().uri("/status").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    static JsonNode send(Node from, Map<String, Object> body, int expectedStatus) {
        String response = from.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(expectedStatus)
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(response);
    }

    @Test
    void bothSidesReportTheirOneLinkAndIdentity() {
        JsonNode a = status(alice);
        assertThat(a.path("visor_pk").asString()).isEqualTo(ALICE_PK);
        assertThat(a.path("peers").get(0).asString()).isEqualTo(BOB_PK);
        assertThat(status(bob).path("peers").get(0).asString()).isEqualTo(ALICE_PK);
        for (String field : new String[] {"sse_subscribers", "persistence_enabled", "pairing_enabled", "app_uptime_sec",
                "inbound_msg_count", "outbound_msg_count", "inbound_drop_count", "outbound_fail_count",
                "outbound_retry_count", "outbound_fallback_count", "sse_drop_count", "last_rx_ts", "last_send_ts", "groups"}) {
            assertThat(a.has(field)).as(field).isTrue();
        }
        assertThat(a.path("frame_proto_version").asInt()).isEqualTo(1);
        assertThat(a.path("schema_version").asString()).isEqualTo("v1");
    }

    @Test
    void aliceMessageIsAckedAndAppearsOnBobsStreamExactlyAsUpstreamWritesIt() {
        JsonNode sent = send(alice, Map.of("recipient", BOB_PK, "message", "hello from A over tcp-direct",
                "wait_ms", 5000), 200);
        assertThat(sent.path("acked").asBoolean()).isTrue();
        assertThat(sent.path("id").asString()).matches("[0-9a-f]{16}");
        assertThat(sent.path("ms").isNumber()).isTrue();

        String id = sent.path("id").asString();
        ServerSentEvent<String> event = bob.webClient().get().uri("/sse").retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .filter(e -> id.equals(e.id()))
                .blockFirst(Duration.ofSeconds(10));
        assertThat(event).isNotNull();
        assertThat(event.data()).isEqualTo("{\"dir\":\"in\",\"id\":\"" + id + "\",\"len\":28,"
                + "\"message\":\"hello from A over tcp-direct\",\"network\":\"tcp-direct\",\"sender\":\"" + ALICE_PK + "\"}");
        assertThat(status(bob).path("inbound_msg_count").asLong()).isPositive();
        assertThat(status(alice).path("last_send_ts").asString()).isNotEmpty();
    }

    @Test
    void bobAnswersOverTheLinkAliceAccepted() {
        JsonNode sent = send(bob, Map.of("recipient", ALICE_PK, "message", "hello from B", "wait_ms", 5000), 200);
        assertThat(sent.path("acked").asBoolean()).isTrue();
        assertThat(sent.path("network").asString()).isEqualTo("tcp-direct");
    }

    @Test
    void sendWithoutWaitingAnswersWithTheId() {
        JsonNode sent = send(alice, Map.of("recipient", BOB_PK, "message", "no wait"), 200);
        assertThat(sent.path("id").asString()).matches("[0-9a-f]{16}");
        assertThat(sent.has("acked")).isFalse();
    }

    @Test
    void anUnreachableKeyIsNeverASuccess() {
        long failuresBefore = status(alice).path("outbound_fail_count").asLong();
        String body = alice.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("recipient", CAROL_PK, "message", "anyone?", "wait_ms", 1000))
                .exchange()
                .expectStatus().isEqualTo(502)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.path("type").asString()).isEqualTo("urn:skychat:peer-unreachable");
        assertThat(problem.path("detail").asString()).contains(CAROL_PK).contains("tcp-direct");
        assertThat(status(alice).path("outbound_fail_count").asLong()).isEqualTo(failuresBefore + 1);
    }

    @Test
    void theStreamIsWrittenAsUpstreamWritesItAndResumesAfterLastEventId() {
        String first = send(bob, Map.of("recipient", ALICE_PK, "message", "resume one", "wait_ms", 5000), 200).path("id").asString();
        String second = send(bob, Map.of("recipient", ALICE_PK, "message", "resume two", "wait_ms", 5000), 200).path("id").asString();
        // Raw bytes: comment lines and "field: value" with the space, as upstream clients print them.
        String raw = alice.webClient().get().uri("/sse").header("Last-Event-ID", first).retrieve()
                .bodyToFlux(org.springframework.core.io.buffer.DataBuffer.class)
                .map(b -> {
                    String text = b.toString(java.nio.charset.StandardCharsets.UTF_8);
                    org.springframework.core.io.buffer.DataBufferUtils.release(b);
                    return text;
                })
                .scan(new StringBuilder(), StringBuilder::append)
                .filter(all -> all.indexOf("id: " + second + "\n") >= 0)
                .blockFirst(Duration.ofSeconds(10)).toString();
        assertThat(raw).contains(": connected\n\n");
        assertThat(raw).contains("id: " + second + "\ndata: {\"dir\":\"in\",\"id\":\"" + second + "\"");
        assertThat(raw).doesNotContain("id: " + first + "\n"); // already seen by this client: not replayed
        assertThat(raw).doesNotContain("\"history\":\"true\""); // nor is the history seed
    }

    @Test
    void badRequestsGetSpecificProblems() {
        assertProblem(Map.of("recipient", "not-a-key", "message", "x"), 400, "urn:skychat:invalid-recipient",
                "recipient: public key must be 66 hex characters");
        assertProblem(Map.of("recipient", BOB_PK, "message", ""), 400, "urn:skychat:bad-request", "message is empty");
        assertProblem(Map.of("recipient", BOB_PK, "message", "x", "network", "carrier-pigeon"), 400,
                "urn:skychat:bad-request", "unknown network");
        assertProblem(Map.of("recipient", BOB_PK, "message", "x".repeat(65_500)), 413,
                "urn:skychat:message-too-large", "the limit is 65536 (the chat-msg envelope around the text must fit one frame)");
        String body = alice.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"recipient\": ").exchange()
                .expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(JSON.readTree(body).path("type").asString()).isEqualTo("urn:skychat:bad-json");
    }

    @Test
    void longMessagesAreAckedAndArriveWhole() {
        for (int size : new int[] {5_000, 60_000}) {
            String text = "long ".repeat(size / 5);
            JsonNode sent = send(alice, Map.of("recipient", BOB_PK, "message", text, "wait_ms", 10_000), 200);
            assertThat(sent.path("acked").asBoolean()).as("%d bytes acked", size).isTrue();
            String id = sent.path("id").asString();
            ServerSentEvent<String> event = bob.webClient().get().uri("/sse").retrieve()
                    .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                    .filter(e -> id.equals(e.id()))
                    .blockFirst(Duration.ofSeconds(10));
            assertThat(event).isNotNull();
            JsonNode data = JSON.readTree(event.data());
            assertThat(data.path("message").asString()).isEqualTo(text);
            assertThat(data.path("len").asInt()).isEqualTo(size);
        }
    }

    private static void assertProblem(Map<String, Object> request, int status, String type, String detail) {
        String body = alice.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON).bodyValue(request)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.path("type").asString()).isEqualTo(type);
        assertThat(problem.path("detail").asString()).contains(detail);
    }

    @Test
    void garbageOnTheTcpPortClosesOnlyThatConnection() throws Exception {
        TcpStats stats = alice.bean(TcpStats.class);
        long failuresBefore = stats.handshakeFailures.get();
        byte[] random = new byte[5000];
        new Random(2706).nextBytes(random);
        assertClosedAfterWriting(random);
        assertClosedAfterWriting(new byte[] {0, 0}); // a zero-length noise message
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.handshakeFailures.get() >= failuresBefore + 2);

        JsonNode sent = send(bob, Map.of("recipient", ALICE_PK, "message", "still here", "wait_ms", 5000), 200);
        assertThat(sent.path("acked").asBoolean()).isTrue();
        assertThat(status(alice).path("active_peer_conns").asInt()).isEqualTo(1);
    }

    private static void assertClosedAfterWriting(byte[] bytes) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", alice.tcpPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            try {
                assertThat(in.read()).isEqualTo(-1);
            } catch (SocketException reset) {
                // a reset is a close too
            }
        }
    }

    @Test
    void actuatorReportsTcpDirectHealthAndMetricsOnItsOwnPort() {
        assertThat(alice.managementPort()).isNotEqualTo(alice.httpPort());
        String health = org.springframework.test.web.reactive.server.WebTestClient
                .bindToServer().baseUrl("http://127.0.0.1:" + alice.managementPort()).build()
                .get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode tcp = JSON.readTree(health).path("components").path("tcpDirect");
        assertThat(tcp.path("status").asString()).isEqualTo("UP");
        assertThat(tcp.path("details").path("links").asInt()).isEqualTo(1);
        String metrics = org.springframework.test.web.reactive.server.WebTestClient
                .bindToServer().baseUrl("http://127.0.0.1:" + alice.managementPort()).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("skychat_messages_outbound_total").contains("transport=\"tcp-direct\"");
        // the group commit's own meters: every commit holds at least one unit
        assertThat(metric(metrics, "skychat_store_units_total")).isGreaterThanOrEqualTo(metric(metrics, "skychat_store_commits_total"));
        assertThat(metrics).contains("skychat_store_checkpoints_total").contains("skychat_store_queued");
        alice.http().get().uri("/actuator/health").exchange().expectStatus().isNotFound();
    }

    private static double metric(String prometheus, String name) {
        return prometheus.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1).strip()))
                .orElseThrow(() -> new AssertionError(name + " missing from /actuator/prometheus"));
    }
}
