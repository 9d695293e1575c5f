package io.skychat.cli;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.BOB_PK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.skychat.core.PeerKey;
import io.skychat.support.Node;
import io.skychat.support.visor.TestVisor;
import io.skychat.transport.visor.ProcKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The operator's verbs against two apps a visor started: the default network there is skynet. */
class CliVisorHostedIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path work;
    @TempDir
    Path home;
    static TestVisor visor;
    static Node alice;
    static Node bob;

    @BeforeAll
    static void start() {
        visor = new TestVisor().start();
        alice = child(visor.register(PeerKey.parse(ALICE_PK)), "a");
        bob = child(visor.register(PeerKey.parse(BOB_PK)), "b");
        await().atMost(Duration.ofSeconds(30)).until(() -> skynetUp(alice) && skynetUp(bob));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {alice, bob, visor}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the next one still closes
                }
            }
        }
    }

    private static Node child(ProcKey key, String dir) {
        Path home = work.resolve(dir);
        return Node.start(home, Map.of("PROC_CONFIG", visor.procConfig(key, home.toString())));
    }

    private static boolean skynetUp(Node node) {
        JsonNode health = JSON.readTree(org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
                .baseUrl(node.managementUrl()).build().get().uri("/actuator/health").exchange()
                .expectBody(String.class).returnResult().getResponseBody());
        return "UP".equals(health.at("/components/skynet/status").asString());
    }

    private CliRunner.Result on(Node node, String dir, String... verbAndFlags) {
        List<String> target = List.of("--addr", "127.0.0.1:" + node.httpPort(),
                "--token-file", work.resolve(dir).resolve("api.token").toString());
        return new CliRunner(home).run(TwoNodes.args(target, verbAndFlags));
    }

    @Test
    void sendOnTheDefaultNetworkIsAckedOverSkynet() {
        CliRunner.Result r = on(alice, "a", "send", "-t", BOB_PK, "-m", "hi");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("Acked by " + BOB_PK + " in \\d+ms \\(id=[0-9a-f]{16}\\)\n");

        CliRunner.Result json = on(alice, "a", "send", "-t", BOB_PK, "-m", "which way?", "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(JSON.readTree(json.out()).path("network").asString()).isEqualTo("skynet");

        CliRunner.Result history = on(bob, "b", "history", "--peer", ALICE_PK, "--json");
        assertThat(history.exit()).as(history.err()).isZero();
        assertThat(history.out().lines().map(line -> JSON.readTree(line).path("text").asString()))
                .contains("hi", "which way?");
    }

    @Test
    void statusNamesTheVisorsKey() {
        CliRunner.Result r = on(bob, "b", "status", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).path("visor_pk").asString()).isEqualTo(BOB_PK);
    }
}
