package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.CAROL_PK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.skychat.core.PeerKey;
import io.skychat.support.Node;
import io.skychat.support.visor.TestVisor;
import io.skychat.transport.visor.ProcKey;
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

/**
 * Visor-hosted mode end to end: nodes started as the visor's children (PROC_CONFIG, no secret key) chat over
 * skynet and the visor's dmsg through the test visor, survive it restarting and fall back to dmsg when skynet
 * cannot reach a peer.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VisorHostedIntegrationTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path work;
    static TestVisor visor;
    static ProcKey aliceKey;
    static ProcKey bobKey;
    static Node alice;
    static Node bob;

    @BeforeAll
    static void start() {
        // springdoc builds the API description on a thread of its own at start-up; a node closed within a second
        // of starting (carol, dave, erin below) makes that thread throw, and Awaitility would fail whatever await
        // runs at that moment with it. Nothing a user could see, so the awaits here ignore other threads.
        org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault();
        visor = new TestVisor().start();
        aliceKey = visor.register(PeerKey.parse(ALICE_PK));
        bobKey = visor.register(PeerKey.parse(BOB_PK));
        alice = child(aliceKey, "a");
        bob = child(bobKey, "b");
        await().atMost(WAIT).until(() -> attached(alice) && attached(bob));
    }

    @AfterAll
    static void stop() {
        org.awaitility.Awaitility.reset();
        for (Node n : new Node[] {alice, bob}) {
            if (n != null) {
                n.close();
            }
        }
        if (visor != null) {
            visor.close();
        }
    }

    /** A node as the visor's launcher starts it: PROC_CONFIG in its environment, the proc args as flags. */
    static Node child(ProcKey key, String dir) {
        Path home = work.resolve(dir);
        return Node.start(home, Map.of("PROC_CONFIG", visor.procConfig(key, home.toString())));
    }

    static boolean attached(Node node) {
        JsonNode health = health(node);
        return "UP".equals(health.at("/components/skynet/status").asString())
                && "UP".equals(health.at("/components/dmsg/status").asString());
    }

    static JsonNode health(Node node) {
        return JSON.readTree(org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
                .baseUrl(node.managementUrl()).build().get().uri("/actuator/health").exchange()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    static JsonNode status(Node node) {
        return get(node, "/status");
    }

    static JsonNode get(Node node, String uri) {
        return JSON.readTree(node.http().get().uri(uri).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    static JsonNode send(Node from, Map<String, Object> body) {
        return JSON.readTree(from.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    static JsonNode sseEvent(Node node, String id) {
        ServerSentEvent<String> event = node.webClient().get().uri("/sse").retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .filter(e -> id.equals(e.id()))
                .blockFirst(Duration.ofSeconds(10));
        assertThat(event).as("event %s on /sse", id).isNotNull();
        return JSON.readTree(event.data());
    }

    @Test
    @Order(1)
    void theChildSpeaksWithTheVisorsKeyAndTellsTheVisorItRuns() {
        assertThat(status(alice).path("visor_pk").asString()).isEqualTo(ALICE_PK);
        TestVisor.Proc proc = visor.proc(aliceKey);
        assertThat(proc.appPort()).isEqualTo(1);
        assertThat(proc.statuses()).containsExactly("Running");
        assertThat(proc.calls()).containsSubsequence("Hello", "Listen", "Listen", "SetAppPort", "SetDetailedStatus",
                "Accept");
    }

    @Test
    @Order(2)
    void anAckedMessageOverSkynetShowsSkynetOnBothSides() {
        JsonNode sent = send(alice, Map.of("recipient", BOB_PK, "message", "hello over skynet", "wait_ms", 10_000));
        assertThat(sent.path("acked").asBoolean()).isTrue();
        assertThat(sent.path("network").asString()).isEqualTo("skynet");
        String id = sent.path("id").asString();
        JsonNode in = sseEvent(bob, id);
        assertThat(in.path("network").asString()).isEqualTo("skynet");
        assertThat(in.path("sender").asString()).isEqualTo(ALICE_PK);
        assertThat(in.path("message").asString()).isEqualTo("hello over skynet");
        assertThat(sseEvent(alice, id).path("network").asString()).isEqualTo("skynet");

        // Round trips once the link is up (the first send also dialled).
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            JsonNode again = send(alice, Map.of("recipient", BOB_PK, "message", "rtt " + i, "wait_ms", 10_000));
            assertThat(again.path("acked").asBoolean()).isTrue();
            ms.add(again.path("ms").asLong());
        }
        ms.sort(null);
        org.slf4j.LoggerFactory.getLogger(VisorHostedIntegrationTests.class)
                .info("acked round trip over skynet through the test visor: median {} ms, max {} ms", ms.get(10), ms.get(19));
    }

    @Test
    @Order(3)
    void anAckedMessageOverTheVisorsDmsg() {
        JsonNode sent = send(bob, Map.of("recipient", ALICE_PK, "message", "hello over dmsg", "network", "dmsg",
                "wait_ms", 10_000));
        assertThat(sent.path("acked").asBoolean()).isTrue();
        assertThat(sent.path("network").asString()).isEqualTo("dmsg");
        assertThat(sseEvent(alice, sent.path("id").asString()).path("network").asString()).isEqualTo("dmsg");
    }

    @Test
    @Order(4)
    void whenSkynetCannotReachAPeerTheMessageGoesOverDmsg() {
        PeerKey carolPk = PeerKey.parse(CAROL_PK);
        ProcKey carolKey = visor.register(carolPk);
        visor.refuseDials("skynet", carolPk);
        try (Node carol = child(carolKey, "c")) {
            await().atMost(WAIT).until(() -> attached(carol));
            long fallbacks = status(alice).path("outbound_fallback_count").asLong();
            JsonNode sent = send(alice, Map.of("recipient", CAROL_PK, "message", "skynet is out", "wait_ms", 10_000));
            assertThat(sent.path("acked").asBoolean()).isTrue();
            JsonNode in = sseEvent(carol, sent.path("id").asString());
            assertThat(in.path("network").asString()).isEqualTo("dmsg");
            assertThat(in.path("message").asString()).isEqualTo("skynet is out");
            assertThat(status(alice).path("outbound_fallback_count").asLong()).isEqualTo(fallbacks + 1);
        }
        assertThat(visor.proc(carolKey).statuses()).containsExactly("Running", "Stopped");
    }

    @Test
    @Order(5)
    void theVisorRestartsAndMessagesSentMeanwhileArriveOnceInOrder() {
        int before = get(bob, "/history?peer=" + ALICE_PK + "&limit=1000").size();
        visor.stop();
        await().atMost(WAIT).until(() -> !attached(alice) && !attached(bob));
        assertThat(health(alice).at("/components/skynet/status").asString()).isEqualTo("DOWN");
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String text = "while the visor was away " + i;
            texts.add(text);
            assertThat(send(alice, Map.of("recipient", BOB_PK, "message", text)).path("status").asString())
                    .isEqualTo("queued");
        }
        long restarted = System.nanoTime();
        visor.start();
        await().atMost(WAIT).until(() -> attached(alice) && attached(bob));
        long reattached = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                get(bob, "/history?peer=" + ALICE_PK + "&limit=1000").size() >= before + 5);
        org.slf4j.LoggerFactory.getLogger(VisorHostedIntegrationTests.class).info(
                "after the visor restart: both attached in {} ms, the 5 queued messages delivered in {} ms",
                (reattached - restarted) / 1_000_000, (System.nanoTime() - restarted) / 1_000_000);
        JsonNode history = get(bob, "/history?peer=" + ALICE_PK + "&limit=1000");
        List<String> arrived = new ArrayList<>();
        for (int i = before; i < history.size(); i++) {
            arrived.add(history.get(i).path("text").asString());
        }
        assertThat(arrived).containsExactlyElementsOf(texts);
        assertThat(visor.proc(aliceKey).attachments()).isEqualTo(2);
        assertThat(visor.proc(aliceKey).statuses()).containsExactly("Running", "Running");
    }

    @Test
    @Order(6)
    void garbageOrAStrayReplyFromTheVisorDropsOnlyThatAttachment() {
        for (Runnable bad : new Runnable[] {() -> visor.sendGarbage(PeerKey.parse(BOB_PK)),
                () -> visor.sendUnknownSeq(PeerKey.parse(BOB_PK))}) {
            int attachments = visor.proc(bobKey).attachments();
            bad.run();
            await().atMost(WAIT).until(() -> visor.proc(bobKey).attachments() == attachments + 1 && attached(bob));
            JsonNode sent = send(alice, Map.of("recipient", BOB_PK, "message", "after a bad reply", "wait_ms", 20_000));
            assertThat(sent.path("acked").asBoolean()).isTrue();
            JsonNode back = send(bob, Map.of("recipient", ALICE_PK, "message", "bob is back", "wait_ms", 20_000));
            assertThat(back.path("acked").asBoolean()).isTrue();
        }
    }

    @Test
    @Order(7)
    void aNodeBesideTheVisorRegistersAttachesAndDeregistersAtShutdown() {
        io.skychat.crypto.KeyPair dave = io.skychat.crypto.KeyPair.generate();
        String davePk = dave.publicKey().hex();
        TestVisor.Proc proc;
        try (Node node = Node.start(work.resolve("d"), "--app-server", visor.appServerAddress(), "--visor-rpc",
                visor.rpcAddress(), "--visor-pk", davePk, "--pair-rpc", visor.rpcAddress())) {
            await().atMost(WAIT).until(() -> attached(node));
            proc = visor.procOf(dave.publicKey()).orElseThrow();
            assertThat(status(node).path("visor_pk").asString()).isEqualTo(davePk);
            JsonNode sent = send(alice, Map.of("recipient", davePk, "message", "hello beside the visor", "wait_ms", 10_000));
            assertThat(sent.path("acked").asBoolean()).isTrue();
            assertThat(sseEvent(node, sent.path("id").asString()).path("network").asString()).isEqualTo("skynet");
            assertThat(proc.calls()).as("registered at the visor RPC, then attached").contains("Hello");
        }
        assertThat(proc.statuses()).containsExactly("Running", "Stopped");
        assertThat(visor.procOf(dave.publicKey())).as("deregistered at shutdown").isEmpty();
    }

    @Test
    @Order(8)
    void afterACrashBesideTheVisorTheKeptProcKeyStillGetsIn() throws Exception {
        io.skychat.crypto.KeyPair erin = io.skychat.crypto.KeyPair.generate();
        // The visor still holds the registration of the run that died; the work dir still holds its key.
        ProcKey old = visor.register(erin.publicKey());
        Path home = work.resolve("e");
        java.nio.file.Files.createDirectories(home);
        java.nio.file.Files.writeString(home.resolve("visor-proc.key"), old.hex());
        try (Node node = Node.start(home, "--app-server", visor.appServerAddress(), "--visor-rpc", visor.rpcAddress(),
                "--visor-pk", erin.publicKey().hex())) {
            await().atMost(WAIT).until(() -> attached(node));
            assertThat(visor.proc(old).statuses()).containsExactly("Running");
        }
    }
}
