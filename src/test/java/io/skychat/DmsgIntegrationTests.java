package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Node;
import io.skychat.transport.dmsg.DmsgStats;
import io.skychat.transport.dmsg.TestDiscovery;
import io.skychat.transport.dmsg.TestDmsgServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Two whole standalone nodes with {@code --dmsg}, a loopback dmsg server and discovery between them. */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DmsgIntegrationTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final KeyPair SERVER = KeyPair.deterministic("skychat test dmsg server".getBytes());

    @TempDir
    static Path work;
    static TestDiscovery discovery;
    static TestDmsgServer relay;
    static Node alice;
    static Node bob;

    @BeforeAll
    static void startAll() {
        discovery = TestDiscovery.start();
        relay = new TestDmsgServer(SERVER, discovery).start();
        alice = Node.start(work.resolve("a"), flags(ALICE_SK));
        bob = Node.start(work.resolve("b"), flags(BOB_SK));
        awaitBothRegistered();
    }

    static String[] flags(String sk) {
        return new String[] {"--standalone", "--sk", sk, "--dmsg", "--dmsg-disc", discovery.url(),
                "--skychat.dmsg.backoff-max=2s"};
    }

    static void awaitBothRegistered() {
        await().atMost(Duration.ofSeconds(30)).until(() -> registered(ALICE_PK) && registered(BOB_PK));
    }

    static boolean registered(String pk) {
        return discovery.entry(PeerKey.parse(pk))
                .map(e -> e.client() != null && e.client().delegatedServers().contains(SERVER.publicKey()))
                .orElse(false) && relay.hasSession(PeerKey.parse(pk));
    }

    @AfterAll
    static void stopAll() {
        for (AutoCloseable c : new AutoCloseable[] {bob, alice, relay, discovery}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    static JsonNode send(Node from, Map<String, Object> body, int expectedStatus) {
        String response = from.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(expectedStatus)
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(response);
    }

    static JsonNode health(Node node) {
        String body = org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
                .baseUrl(node.managementUrl()).build()
                .get().uri("/actuator/health").exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body).path("components").path("dmsg");
    }

    static List<String> receivedTexts(Node node, String peer) {
        String body = node.http().get().uri("/history?peer=" + peer + "&limit=1000").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        List<String> texts = new ArrayList<>();
        for (JsonNode row : JSON.readTree(body)) {
            if (!row.path("outgoing").asBoolean()) {
                texts.add(row.path("text").asString());
            }
        }
        return texts;
    }

    @Test
    @Order(1)
    void messagesAreAckedBothWaysOverDmsgAndShownWithTheirNetwork() {
        assertThat(health(alice).path("status").asString()).isEqualTo("UP");
        JsonNode sent = send(alice, Map.of("recipient", BOB_PK, "message", "hello over dmsg", "network", "dmsg",
                "wait_ms", 5000), 200);
        assertThat(sent.path("acked").asBoolean()).isTrue();
        assertThat(sent.path("network").asString()).isEqualTo("dmsg");
        String id = sent.path("id").asString();
        ServerSentEvent<String> event = bob.webClient().get().uri("/sse").retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .filter(e -> id.equals(e.id()))
                .blockFirst(Duration.ofSeconds(10));
        assertThat(event).isNotNull();
        JsonNode data = JSON.readTree(event.data());
        assertThat(data.path("network").asString()).isEqualTo("dmsg");
        assertThat(data.path("sender").asString()).isEqualTo(ALICE_PK);
        assertThat(data.path("message").asString()).isEqualTo("hello over dmsg");

        JsonNode back = send(bob, Map.of("recipient", ALICE_PK, "message", "hello back", "network", "dmsg",
                "wait_ms", 5000), 200);
        assertThat(back.path("acked").asBoolean()).isTrue();
        assertThat(back.path("network").asString()).isEqualTo("dmsg");
    }

    @Test
    @Order(2)
    void ackedRoundTripsAreQuick() {
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            JsonNode sent = send(alice, Map.of("recipient", BOB_PK, "message", "timed " + i, "network", "dmsg",
                    "wait_ms", 5000), 200);
            assertThat(sent.path("acked").asBoolean()).isTrue();
            ms.add(sent.path("ms").asLong());
        }
        ms.sort(null);
        System.out.println("dmsg acked round trip over the test relay: p50 " + ms.get(ms.size() / 2) + " ms, p90 "
                + ms.get(ms.size() * 9 / 10) + " ms, max " + ms.get(ms.size() - 1) + " ms");
        assertThat(ms.get(ms.size() / 2)).isLessThan(1000);
    }

    @Test
    @Order(3)
    void garbageFromTheServerDropsOnlyThatSessionAndTheClientComesBack() {
        DmsgStats bobStats = bob.bean(DmsgStats.class);
        DmsgStats aliceStats = alice.bean(DmsgStats.class);
        long dropped = bobStats.sessionsDroppedForProtocol.get();
        long bobSessions = bobStats.sessionsEstablished.get();
        long aliceSessions = aliceStats.sessionsEstablished.get();
        relay.injectRaw(PeerKey.parse(BOB_PK), new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}); // bad yamux version
        await().atMost(Duration.ofSeconds(10)).until(() -> bobStats.sessionsDroppedForProtocol.get() == dropped + 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> bobStats.sessionsEstablished.get() > bobSessions
                && registered(BOB_PK));
        // an oversized Data frame: refused from its header, before any body is buffered
        relay.injectRaw(PeerKey.parse(BOB_PK), new byte[] {0, 0, 0, 0, 0, 0, 0, 2, 0x10, 0, 0, 0});
        await().atMost(Duration.ofSeconds(10)).until(() -> bobStats.sessionsDroppedForProtocol.get() == dropped + 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> bobStats.sessionsEstablished.get() > bobSessions + 1
                && registered(BOB_PK));
        assertThat(aliceStats.sessionsEstablished.get()).as("alice's session was not touched").isEqualTo(aliceSessions);

        JsonNode sent = send(alice, Map.of("recipient", BOB_PK, "message", "after the garbage", "network", "dmsg",
                "wait_ms", 10000), 200);
        assertThat(sent.path("acked").asBoolean()).isTrue();
    }

    @Test
    @Order(4)
    void theRelayRestartsWhileAliceSendsAndEveryMessageArrivesOnceInOrder() {
        List<String> before = receivedTexts(bob, ALICE_PK);
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            texts.add("relay restart " + i);
        }
        for (int i = 0; i < 20; i++) {
            send(alice, Map.of("recipient", BOB_PK, "message", texts.get(i), "network", "dmsg"), 200);
        }
        relay.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !alice.bean(io.skychat.transport.dmsg.DmsgTransport.class).isUp());
        for (int i = 20; i < 50; i++) {
            send(alice, Map.of("recipient", BOB_PK, "message", texts.get(i), "network", "dmsg"), 200);
        }
        assertThat(health(alice).path("status").asString()).isEqualTo("DOWN");
        long restarted = System.nanoTime();
        relay.start();
        awaitBothRegistered();
        long rejoined = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).until(() -> receivedTexts(bob, ALICE_PK).size() >= before.size() + 50);
        System.out.printf("dmsg relay restart: both clients back %d ms after the relay, all 50 delivered after %d ms%n",
                (rejoined - restarted) / 1_000_000, (System.nanoTime() - restarted) / 1_000_000);
        List<String> after = receivedTexts(bob, ALICE_PK);
        assertThat(after.subList(before.size(), after.size())).containsExactlyElementsOf(texts);
        assertThat(health(alice).path("status").asString()).isEqualTo("UP");
    }

    @Test
    @Order(5)
    void aNodeStartsWhileDiscoveryIsDownReportsDmsgDownAndComesUpWhenItAnswers() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        TestDiscovery late = TestDiscovery.notStarted();
        KeyPair serverKey = KeyPair.deterministic("skychat test dmsg server, late".getBytes());
        TestDmsgServer lateRelay = new TestDmsgServer(serverKey, late);
        try (Node carol = Node.start(work.resolve("c"), "--standalone", "--sk", io.skychat.support.Keys.CAROL_SK,
                "--dmsg", "--dmsg-disc", "http://127.0.0.1:" + port, "--skychat.dmsg.backoff-max=1s")) {
            DmsgStats stats = carol.bean(DmsgStats.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> stats.discoveryErrors.get() >= 2);
            JsonNode down = health(carol);
            assertThat(down.path("status").asString()).isEqualTo("DOWN");
            assertThat(down.path("details").path("discovery_error").asString()).contains("/dmsg-discovery/");
            carol.http().get().uri("/status").exchange().expectStatus().isOk(); // the node itself is fine

            late.startOn(port);
            lateRelay.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> "UP".equals(health(carol).path("status").asString()));
            assertThat(health(carol).path("details").path("sessions").get(0).asString()).isEqualTo(serverKey.publicKey().hex());
        } finally {
            lateRelay.close();
            late.close();
        }
    }

    @Test
    @Order(6)
    void prometheusShowsTheDmsgCounters() {
        String metrics = org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
                .baseUrl(alice.managementUrl()).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("skychat_transport_sessions{transport=\"dmsg\"} 1")
                .contains("skychat_transport_streams_dialled_total{transport=\"dmsg\"}")
                .containsPattern("skychat_links_active\\{transport=\"dmsg\"\\} [1-9]");
    }
}
