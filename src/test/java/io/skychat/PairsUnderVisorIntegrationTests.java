package io.skychat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedNode;
import io.skychat.pair.PairPort;
import io.skychat.pairs.PairService;
import io.skychat.support.Keys;
import io.skychat.support.Node;
import io.skychat.support.visor.TestVisor;
import io.skychat.transport.visor.ProcKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two whole nodes as a test visor's children, with their visor's secret and pairing on: the handshake goes over
 * the visor's chat links, each pair node listens on the pair port on skynet and dmsg and dials the peer on dmsg.
 */
class PairsUnderVisorIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path work;

    private Node child(TestVisor visor, ProcKey key, String dir, String sk) {
        Path home = work.resolve(dir);
        return Node.start(home, Map.of("PROC_CONFIG", visor.procConfig(key, home.toString())), "--sk", sk,
                "--pair-enable", "--skychat.pair.invite-retry-min=200ms", "--skychat.pair.invite-retry-max=1s",
                "--skychat.pair.subscribe-retry-max=1s", "--skychat.cxo.backoff-min=100ms", "--skychat.cxo.backoff-max=1s");
    }

    private static JsonNode get(Node n, String uri) {
        return JSON.readTree(n.http().get().uri(uri).exchange().expectStatus().isOk()
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

    @Test
    void aPairTalksOverTheVisorsNetworksOnThePairPort() {
        org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault(); // see VisorHostedIntegrationTests
        try (TestVisor visor = new TestVisor().start()) {
            ProcKey aliceKey = visor.register(ALICE.publicKey());
            ProcKey bobKey = visor.register(BOB.publicKey());
            try (Node alice = child(visor, aliceKey, "a", Keys.ALICE_SK);
                 Node bob = child(visor, bobKey, "b", Keys.BOB_SK)) {
                alice.http().post().uri("/pair").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("peer_pk", Keys.BOB_PK)).exchange().expectStatus().isOk();
                await().atMost(WAIT).until(() -> get(bob, "/pair/invites").size() == 1);
                bob.http().post().uri("/pair/invites/" + Keys.ALICE_PK + "/accept").exchange().expectStatus().isNoContent();
                await().atMost(WAIT).until(() -> status(alice).equals("active") && status(bob).equals("active"));

                alice.http().post().uri("/pair/" + Keys.BOB_PK + "/message").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("text", "under a visor")).exchange().expectStatus().isOk();
                bob.http().post().uri("/pair/" + Keys.ALICE_PK + "/message").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("text", "and back")).exchange().expectStatus().isOk();
                await().atMost(WAIT).until(() -> inbox(bob).contains("under a visor") && inbox(alice).contains("and back"));

                int port = PairPort.of(ALICE.publicKey(), BOB.publicKey());
                for (String net : List.of("skynet", "dmsg")) {
                    assertThat(visor.listens(net, ALICE.publicKey(), port)).as(net).isTrue();
                    assertThat(visor.listens(net, BOB.publicKey(), port)).as(net).isTrue();
                }
                // pair nodes dial on dmsg only, as upstream; nobody dialled the pair port over skynet
                assertThat(visor.dialsAsked).anyMatch(d -> d.startsWith("dmsg/") && d.endsWith(":" + port))
                        .noneMatch(d -> d.startsWith("skynet/") && d.endsWith(":" + port));
                FeedNode aNode = alice.bean(PairService.class).node(BOB.publicKey()).orElseThrow();
                assertThat(aNode.id()).isEqualTo(ALICE.publicKey());
                assertThat(aNode.connectedPeers()).containsExactly(BOB.publicKey());
            }
        } finally {
            org.awaitility.Awaitility.reset();
        }
    }
}
