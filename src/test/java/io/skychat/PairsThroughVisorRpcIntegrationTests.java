package io.skychat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.skychat.crypto.KeyPair;
import io.skychat.pair.PairPort;
import io.skychat.pairs.PairService;
import io.skychat.support.Keys;
import io.skychat.support.Node;
import io.skychat.support.visor.TestPairRpc;
import io.skychat.support.visor.TestVisor;
import io.skychat.transport.visor.ProcKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two nodes under a test visor whose pair RPC ({@code --pair-rpc}) runs pairs, as upstream's visor does: the
 * nodes run the consent handshake on their chat links and drive the visor's pair feeds with upstream's calls,
 * in upstream's order ({@code PairAdd} before the invite and on accepting, {@code PairMarkActive} on the ack),
 * and read the visor's inbox. Nothing of the pair feeds runs in the nodes: no listener on the pair port.
 */
class PairsThroughVisorRpcIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path work;

    private TestVisor visor;
    private TestPairRpc aliceRpc;
    private TestPairRpc bobRpc;
    private ProcKey aliceKey;
    private ProcKey bobKey;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void visor() {
        org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault(); // see VisorHostedIntegrationTests
        visor = new TestVisor().start();
        aliceKey = visor.register(ALICE.publicKey());
        bobKey = visor.register(BOB.publicKey());
        TestPairRpc.Exchange feeds = new TestPairRpc.Exchange();
        aliceRpc = new TestPairRpc(feeds, ALICE.publicKey()).start();
        bobRpc = new TestPairRpc(feeds, BOB.publicKey()).start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        aliceRpc.close();
        bobRpc.close();
        visor.close();
        org.awaitility.Awaitility.reset();
    }

    private Node child(ProcKey key, String dir, String sk, TestPairRpc rpc) {
        Path home = work.resolve(dir);
        Node n = Node.start(home, Map.of("PROC_CONFIG", visor.procConfig(key, home.toString())), "--sk", sk,
                "--pair-enable", "--pair-rpc", rpc.address(), "--pair-feeds", "visor",
                "--skychat.pair.poll-interval=100ms", "--skychat.pair.invite-retry-min=200ms",
                "--skychat.pair.invite-retry-max=1s");
        open.add(n);
        return n;
    }

    private static JsonNode get(Node n, String uri) {
        return JSON.readTree(n.http().get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static JsonNode send(Node n, String peer, String text, int status) {
        return JSON.readTree(n.http().post().uri("/pair/" + peer + "/message").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("text", text)).exchange().expectStatus().isEqualTo(status)
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static List<String> inbox(Node n) {
        List<String> out = new ArrayList<>();
        get(n, "/pair/inbox?limit=1000").forEach(m -> out.add(m.path("text").asString()));
        return out;
    }

    private static String status(Node n) {
        JsonNode all = get(n, "/pair");
        return all.isEmpty() ? "none" : all.get(0).path("status").asString();
    }

    private List<JsonNode> sse(Node n) {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        Disposable d = n.webClient().get().uri("/sse").accept(MediaType.TEXT_EVENT_STREAM).retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .filter(e -> e.data() != null)
                .subscribe(e -> seen.add(JSON.readTree(e.data())), e -> { });
        open.add(d::dispose);
        return seen;
    }

    private void pairUp(Node alice, Node bob) {
        alice.http().post().uri("/pair").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("peer_pk", Keys.BOB_PK)).exchange().expectStatus().isOk();
        await().atMost(WAIT).until(() -> get(bob, "/pair/invites").size() == 1);
        bob.http().post().uri("/pair/invites/" + Keys.ALICE_PK + "/accept").exchange().expectStatus().isNoContent();
        await().atMost(WAIT).until(() -> status(alice).equals("active") && status(bob).equals("active"));
    }

    @Test
    void theVisorRunsTheFeedsAndTheNodesDriveThemAsUpstreamsAppDoes() {
        Node alice = child(aliceKey, "a", Keys.ALICE_SK, aliceRpc);
        Node bob = child(bobKey, "b", Keys.BOB_SK, bobRpc);
        assertThat(alice.bean(PairService.class).feedsName()).isEqualTo("visor");
        List<JsonNode> bobEvents = sse(bob);

        pairUp(alice, bob);
        // upstream's order: the inviter adds the pair before inviting and marks it active on the ack
        assertThat(aliceRpc.calls).containsSubsequence("PairAdd", "PairMarkActive");
        assertThat(bobRpc.calls).contains("PairAdd").doesNotContain("PairMarkActive");

        send(alice, Keys.BOB_PK, "through the visor", 200);
        send(bob, Keys.ALICE_PK, "and back", 200);
        await().atMost(WAIT).until(() -> inbox(bob).contains("through the visor") && inbox(alice).contains("and back"));
        await().atMost(WAIT).until(() -> bobEvents.stream().anyMatch(e -> "pair".equals(e.path("channel").asString())
                && "through the visor".equals(e.path("message").asString())));

        // the feeds are the visor's: neither node listens on the pair port
        int port = PairPort.of(ALICE.publicKey(), BOB.publicKey());
        for (String net : List.of("skynet", "dmsg")) {
            assertThat(visor.listens(net, ALICE.publicKey(), port)).as(net).isFalse();
            assertThat(visor.listens(net, BOB.publicKey(), port)).as(net).isFalse();
        }
        assertThat(alice.bean(PairService.class).node(BOB.publicKey())).isEmpty();

        // upstream's visor has no retraction call: said so, and the message stays
        String id = send(alice, Keys.BOB_PK, "keep me", 200).path("id").asString();
        JsonNode refused = JSON.readTree(alice.http().delete().uri("/pair/" + Keys.BOB_PK + "/message?id=" + id)
                .exchange().expectStatus().isEqualTo(501).expectBody(String.class).returnResult().getResponseBody());
        assertThat(refused.path("detail").asString()).contains("cannot retract");
        await().atMost(WAIT).until(() -> inbox(bob).contains("keep me"));

        String metrics = org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
                .baseUrl(bob.managementUrl()).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("skychat_pair_messages_received_total{feeds=\"visor\"} 2.0")
                .contains("skychat_pair_messages_sent_total{feeds=\"visor\"} 1.0")
                .containsPattern("skychat_pair_visor_polls_total [1-9]");
    }

    @Test
    void messagesSentWhileThePeerIsDownArriveOnceWhenItComesBack() {
        Node alice = child(aliceKey, "a", Keys.ALICE_SK, aliceRpc);
        Node bob = child(bobKey, "b", Keys.BOB_SK, bobRpc);
        pairUp(alice, bob);
        send(alice, Keys.BOB_PK, "before", 200);
        await().atMost(WAIT).until(() -> inbox(bob).contains("before"));

        open.remove(bob);
        bob.close();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add("offline " + i);
            send(alice, Keys.BOB_PK, "offline " + i, 200);
        }

        Node back = child(bobKey, "b", Keys.BOB_SK, bobRpc);
        await().atMost(WAIT).until(() -> inbox(back).containsAll(sent));
        List<String> all = inbox(back);
        assertThat(all).containsExactly(java.util.stream.Stream.concat(java.util.stream.Stream.of("before"),
                sent.stream()).toArray(String[]::new));
    }

    @Test
    void aVisorRpcThatGoesAwayIsAClearErrorAndIsRedialledWhenBack() {
        Node alice = child(aliceKey, "a", Keys.ALICE_SK, aliceRpc);
        Node bob = child(bobKey, "b", Keys.BOB_SK, bobRpc);
        pairUp(alice, bob);

        aliceRpc.stop();
        JsonNode problem = send(alice, Keys.BOB_PK, "nobody home", 502);
        assertThat(problem.path("detail").asString()).contains("PairSend");
        assertThat(inbox(bob)).doesNotContain("nobody home");

        aliceRpc.start();
        send(alice, Keys.BOB_PK, "back again", 200);
        await().atMost(WAIT).until(() -> inbox(bob).contains("back again"));
    }
}
