package io.skychat.cli;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_SK;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.skychat.support.Node;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alice listens on TCP-direct and Bob dials her: two whole services for the CLI to talk to. Knows where
 * each node keeps its API token, so the tests keep working once the control API requires one.
 */
final class TwoNodes implements AutoCloseable {

    final Node alice;
    final Node bob;
    final Path aliceDir;
    final Path bobDir;

    private TwoNodes(Node alice, Node bob, Path aliceDir, Path bobDir) {
        this.alice = alice;
        this.bob = bob;
        this.aliceDir = aliceDir;
        this.bobDir = bobDir;
    }

    static TwoNodes start(Path work) throws Exception {
        Path a = Files.createDirectories(work.resolve("alice"));
        Path b = Files.createDirectories(work.resolve("bob"));
        Node alice = Node.start(a, "--standalone", "--sk", ALICE_SK, "--tcp-listen", "127.0.0.1:0");
        Node bob = null;
        try {
            bob = Node.start(b, "--standalone", "--sk", BOB_SK,
                    "--tcp-peer", "tcp://" + ALICE_PK + "@127.0.0.1:" + alice.tcpPort());
            TwoNodes nodes = new TwoNodes(alice, bob, a, b);
            JsonMapper json = JsonMapper.builder().build();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    json.readTree(alice.http().get().uri("/status").headers(h -> nodes.auth(h, a)).exchange()
                            .expectBody(String.class).returnResult().getResponseBody()).path("active_peer_conns").asInt() == 1);
            return nodes;
        } catch (Exception | Error e) {
            if (bob != null) {
                bob.close();
            }
            alice.close();
            throw e;
        }
    }

    private void auth(org.springframework.http.HttpHeaders h, Path dir) {
        String token = token(dir);
        if (token != null) {
            h.setBearerAuth(token);
        }
    }

    private static String token(Path dir) {
        Path file = dir.resolve("api.token");
        try {
            return Files.isReadable(file) ? Files.readString(file).strip() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** {@code --addr} (and the token file, when the node wrote one) for verbs aimed at {@code node}. */
    List<String> target(Node node) {
        Path dir = node == alice ? aliceDir : bobDir;
        List<String> args = new ArrayList<>(List.of("--addr", "127.0.0.1:" + node.httpPort()));
        if (Files.isReadable(dir.resolve("api.token"))) {
            args.addAll(List.of("--token-file", dir.resolve("api.token").toString()));
        }
        return args;
    }

    static String[] args(List<String> target, String... verbAndFlags) {
        List<String> all = new ArrayList<>(List.of(verbAndFlags));
        all.addAll(target);
        return all.toArray(String[]::new);
    }

    @Override
    public void close() {
        bob.close();
        alice.close();
    }
}
