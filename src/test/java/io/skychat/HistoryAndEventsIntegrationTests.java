package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.skychat.support.Node;
import io.skychat.support.NodeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** History, read receipts, the /events log and the store's limits, on two live services. */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class HistoryAndEventsIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;
    private Node alice;
    private Node bob;

    @AfterEach
    void stop() {
        if (bob != null) {
            bob.close();
        }
        if (alice != null) {
            alice.close();
        }
    }

    private void startPair(String... aliceExtra) {
        List<String> a = new java.util.ArrayList<>(List.of("--standalone", "--sk", ALICE_SK, "--tcp-listen", "127.0.0.1:0"));
        a.addAll(List.of(aliceExtra));
        alice = Node.start(work.resolve("a"), a.toArray(String[]::new));
        bob = Node.start(work.resolve("b"), "--standalone", "--sk", BOB_SK,
                "--tcp-peer", "tcp://" + ALICE_PK + "@127.0.0.1:" + alice.tcpPort());
        await().atMost(Duration.ofSeconds(20)).until(() -> get(alice, "/status").path("active_peer_conns").asInt() == 1);
    }

    private static JsonNode get(Node node, String uri) {
        return JSON.readTree(node.http().get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static JsonNode post(Node node, String uri, Object body, int status) {
        String response = node.http().post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(status).expectBody(String.class).returnResult().getResponseBody();
        return response == null ? null : JSON.readTree(response);
    }

    private static String send(Node from, String to, String text) {
        return post(from, "/message", Map.of("recipient", to, "message", text, "wait_ms", 5000), 200).path("id").asString();
    }

    private static List<JsonNode> events(Node node, String query, int count) {
        return events(node.webClient(), query, count);
    }

    private static List<JsonNode> events(WebClient client, String query, int count) {
        return client.get().uri("/events" + query)
                .accept(MediaType.APPLICATION_NDJSON).retrieve().bodyToFlux(String.class)
                .take(count).map(JSON::readTree).collectList().block(Duration.ofSeconds(10));
    }

    @Test
    void bothSidesKeepTheConversationAndTheSenderSeesItRead() {
        startPair();
        String id = send(alice, BOB_PK, "hello bob");

        JsonNode inbound = get(bob, "/history?peer=" + ALICE_PK).get(0);
        assertThat(inbound.path("id").asString()).isEqualTo(id);
        assertThat(inbound.path("from").asString()).isEqualTo(ALICE_PK);
        assertThat(inbound.path("outgoing").asBoolean()).isFalse();
        assertThat(inbound.path("text").asString()).isEqualTo("hello bob");
        assertThat(inbound.has("status")).isFalse();
        assertThat(get(bob, "/history/peers").get(0).asString()).isEqualTo(ALICE_PK);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                get(alice, "/history?peer=" + BOB_PK).get(0).path("status").asString().equals("received"));
        JsonNode outbound = get(alice, "/history?peer=" + BOB_PK).get(0);
        assertThat(outbound.path("from").asString()).isEqualTo(ALICE_PK);
        assertThat(outbound.path("outgoing").asBoolean()).isTrue();

        bob.http().post().uri("/read-receipt").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("pk", ALICE_PK, "id", id)).exchange().expectStatus().isNoContent();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                get(alice, "/history?peer=" + BOB_PK).get(0).path("status").asString().equals("read"));
        assertThat(get(alice, "/status").path("persistence_enabled").asBoolean()).isTrue();
    }

    @Test
    void eventsReplayFromAnySequenceAndKeepCountingAfterARestart() {
        alice = Node.start(work.resolve("a"), "--standalone", "--sk", ALICE_SK, "--tcp-listen", "127.0.0.1:0");
        // Bob runs in his own JVM so he can be restarted without touching Alice's process-wide resources.
        try (NodeProcess bobProcess = new NodeProcess(work.resolve("b"), NodeProcess.freePort(), "--standalone",
                "--sk", BOB_SK, "--tcp-peer", "tcp://" + ALICE_PK + "@127.0.0.1:" + alice.tcpPort()).start()) {
            WebClient bobUrl = bobProcess.webClient();
            await().atMost(Duration.ofSeconds(20)).until(() -> get(alice, "/status").path("active_peer_conns").asInt() == 1);
            send(alice, BOB_PK, "one");
            send(alice, BOB_PK, "two");
            List<JsonNode> all = events(bobUrl, "?since=0", 2);
            assertThat(all).extracting(e -> e.path("text").asString()).containsExactly("one", "two");
            assertThat(all.get(1).path("seq").asLong()).isGreaterThan(all.get(0).path("seq").asLong());
            JsonNode first = all.get(0);
            assertThat(first.path("channel").asString()).isEqualTo("dm");
            assertThat(first.path("transport").asString()).isEqualTo("tcp-direct");
            assertThat(first.path("dir").asString()).isEqualTo("in");
            assertThat(first.path("from").asString()).isEqualTo(ALICE_PK);
            assertThat(first.path("to").asString()).isEqualTo(BOB_PK);
            assertThat(first.path("len").asInt()).isEqualTo(3);

            long last = all.get(1).path("seq").asLong();
            send(alice, BOB_PK, "three");
            JsonNode third = events(bobUrl, "?since=" + last, 1).get(0);
            assertThat(third.path("text").asString()).isEqualTo("three");
            long beforeRestart = third.path("seq").asLong();

            bobProcess.stop();
            bobProcess.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(alice, "/status").path("active_peer_conns").asInt() == 1);
            send(alice, BOB_PK, "four");
            JsonNode afterRestart = events(bobUrl, "?since=" + beforeRestart, 1).get(0);
            assertThat(afterRestart.path("text").asString()).isEqualTo("four");
            assertThat(afterRestart.path("seq").asLong()).isGreaterThan(beforeRestart);
            assertThat(events(bobUrl, "?since=0", 4)).extracting(e -> e.path("text").asString())
                    .containsExactly("one", "two", "three", "four");
        }
    }

    @Test
    void deliveryReceiptsAreOnTheSystemChannelOnlyWhenAskedFor() {
        startPair();
        String id = send(alice, BOB_PK, "track me");
        List<JsonNode> system = events(alice, "?channel=system&since=0", 2);
        assertThat(system).extracting(e -> e.path("status").asString()).containsExactly("sent", "received");
        assertThat(system).allSatisfy(e -> assertThat(e.path("id").asString()).isEqualTo(id));
        assertThat(events(alice, "?since=0", 1).get(0).path("channel").asString()).isEqualTo("dm");
    }

    @Test
    void badQueriesAreNamed() {
        startPair();
        for (String uri : new String[] {"/history?limit=0", "/history?limit=1001", "/history?limit=lots",
                "/history?peer=nope", "/events?since=-1", "/events?channel=gossip"}) {
            String body = alice.http().get().uri(uri).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(JSON.readTree(body).path("detail").asString()).as(uri).isNotBlank();
        }
        post(alice, "/read-receipt", Map.of("pk", BOB_PK, "id", "xyz"), 400);
    }

    @Test
    void aFullStoreRefusesNewMessagesAndKeepsTheOldOnes() {
        startPair("--persist-total-cap", "1KB");
        String text = "x".repeat(400);
        send(alice, BOB_PK, text);
        send(alice, BOB_PK, text);
        JsonNode problem = post(alice, "/message", Map.of("recipient", BOB_PK, "message", text), 507);
        assertThat(problem.path("type").asString()).isEqualTo("urn:skychat:store-full");
        assertThat(problem.path("detail").asString()).contains("--persist-total-cap");
        assertThat(get(alice, "/history?peer=" + BOB_PK).size()).isEqualTo(2);
    }

    @Test
    void historyCanBeTurnedOff() {
        startPair("--no-persist");
        send(alice, BOB_PK, "ephemeral");
        String body = alice.http().get().uri("/history").exchange().expectStatus().isEqualTo(503)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(JSON.readTree(body).path("type").asString()).isEqualTo("urn:skychat:persistence-off");
        assertThat(get(alice, "/status").path("persistence_enabled").asBoolean()).isFalse();
    }
}
