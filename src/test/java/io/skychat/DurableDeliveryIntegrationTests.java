package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static io.skychat.support.NodeProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.skychat.support.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The durability promise with real crashes: each side is its own JVM, killed with SIGKILL mid-stream and
 * started again on the same work directory 3 s later. Every message the API accepted arrives exactly once,
 * in send order, and the sender ends up seeing each one as received.
 */
class DurableDeliveryIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MESSAGES = 300;
    private static final int KILL_AFTER = 100;
    private static final Duration DOWNTIME = Duration.ofSeconds(3);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // keep the nodes' logs when something fails
    Path work;

    private NodeProcess alice(int http, int tcp) {
        return new NodeProcess(work.resolve("a"), http, "--standalone", "--sk", ALICE_SK,
                "--tcp-listen", "127.0.0.1:" + tcp, "--tcp-whitelist", BOB_PK);
    }

    private NodeProcess bob(int http, int aliceTcp) {
        return new NodeProcess(work.resolve("b"), http, "--standalone", "--sk", BOB_SK,
                "--tcp-peer", "tcp://" + ALICE_PK + "@127.0.0.1:" + aliceTcp);
    }

    @Test
    void receiverKilledMidStreamStillGetsEveryMessageOnceInOrder() {
        int aTcp = freePort();
        try (NodeProcess a = alice(freePort(), aTcp).start(); NodeProcess b = bob(freePort(), aTcp).start()) {
            awaitLinked(a);
            List<String> ids = new ArrayList<>();
            CompletableFuture<Void> restarted = null;
            for (int i = 1; i <= MESSAGES; i++) {
                if (i == KILL_AFTER + 1) {
                    b.kill();
                    restarted = CompletableFuture.runAsync(b::start,
                            CompletableFuture.delayedExecutor(DOWNTIME.toMillis(), TimeUnit.MILLISECONDS));
                }
                ids.add(send(a, BOB_PK, text(i)));
            }
            restarted.join();
            assertEveryMessageArrivedOnceInOrder(b, ALICE_PK, ids);
            assertSenderSeesAllReceived(a, BOB_PK, ids);
        }
    }

    @Test
    void senderKilledMidStreamLosesNothingItAccepted() {
        int aTcp = freePort();
        try (NodeProcess a = alice(freePort(), aTcp).start(); NodeProcess b = bob(freePort(), aTcp).start()) {
            awaitLinked(a);
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= KILL_AFTER; i++) {
                ids.add(send(a, BOB_PK, text(i)));
            }
            a.kill(); // right after the 100th acceptance: its courier is still delivering
            CompletableFuture.runAsync(a::start,
                    CompletableFuture.delayedExecutor(DOWNTIME.toMillis(), TimeUnit.MILLISECONDS)).join();
            for (int i = KILL_AFTER + 1; i <= MESSAGES; i++) {
                ids.add(send(a, BOB_PK, text(i)));
            }
            assertEveryMessageArrivedOnceInOrder(b, ALICE_PK, ids);
            assertSenderSeesAllReceived(a, BOB_PK, ids);
        }
    }

    private static String text(int i) {
        return String.format("message %03d", i);
    }

    private static void awaitLinked(NodeProcess a) {
        await().atMost(Duration.ofSeconds(30)).until(() -> get(a, "/status").path("active_peer_conns").asInt() == 1);
    }

    private static String send(NodeProcess from, String to, String text) {
        String body = from.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("recipient", to, "message", text))
                .exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body).path("id").asString();
    }

    private static JsonNode get(NodeProcess node, String uri) {
        return JSON.readTree(node.http().get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static void assertEveryMessageArrivedOnceInOrder(NodeProcess receiver, String sender, List<String> ids) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> get(receiver, "/history?peer=" + sender + "&limit=1000").size() >= ids.size());
        JsonNode rows = get(receiver, "/history?peer=" + sender + "&limit=1000");
        List<String> gotIds = new ArrayList<>();
        List<String> gotTexts = new ArrayList<>();
        rows.forEach(r -> {
            assertThat(r.path("outgoing").asBoolean()).isFalse();
            gotIds.add(r.path("id").asString());
            gotTexts.add(r.path("text").asString());
        });
        assertThat(gotIds).containsExactlyElementsOf(ids);
        List<String> expectedTexts = new ArrayList<>();
        for (int i = 1; i <= ids.size(); i++) {
            expectedTexts.add(text(i));
        }
        assertThat(gotTexts).containsExactlyElementsOf(expectedTexts);
    }

    private static void assertSenderSeesAllReceived(NodeProcess sender, String peer, List<String> ids) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode rows = get(sender, "/history?peer=" + peer + "&limit=1000");
            long received = 0;
            for (JsonNode r : rows) {
                if (r.path("outgoing").asBoolean() && r.path("status").asString().equals("received")) {
                    received++;
                }
            }
            return received == ids.size();
        });
        List<String> sentIds = new ArrayList<>();
        get(sender, "/history?peer=" + peer + "&limit=1000").forEach(r -> sentIds.add(r.path("id").asString()));
        assertThat(sentIds).containsExactlyElementsOf(ids);
        assertThat(get(sender, "/status").path("outbound_msg_count").asLong()).isPositive();
    }
}
