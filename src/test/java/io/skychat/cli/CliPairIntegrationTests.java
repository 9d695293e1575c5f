package io.skychat.cli;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static io.skychat.support.NodeProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.skychat.crypto.KeyPair;
import io.skychat.support.Node;
import io.skychat.transport.dmsg.TestDiscovery;
import io.skychat.transport.dmsg.TestDmsgServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code pair} verbs against two live services with pairing on, as a user would type them; the pair feeds
 * travel over dmsg (a relay and discovery on loopback), the handshake over TCP-direct.
 */
class CliPairIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    static Path work;
    @TempDir
    Path home;
    static TestDiscovery discovery;
    static TestDmsgServer relay;
    static Node alice;
    static Node bob;

    @BeforeAll
    static void start() {
        int aTcp = freePort();
        int bTcp = freePort();
        discovery = TestDiscovery.start();
        relay = new TestDmsgServer(KeyPair.deterministic("skychat cli pair relay".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), discovery).start();
        alice = Node.start(work.resolve("alice"), flags(ALICE_SK, BOB_PK, aTcp, bTcp));
        bob = Node.start(work.resolve("bob"), flags(BOB_SK, ALICE_PK, bTcp, aTcp));
    }

    private static String[] flags(String sk, String peer, int tcp, int peerTcp) {
        return new String[] {"--standalone", "--sk", sk, "--tcp-listen", "127.0.0.1:" + tcp,
                "--tcp-peer", "tcp://" + peer + "@127.0.0.1:" + peerTcp, "--dmsg", "--dmsg-disc", discovery.url(),
                "--skychat.dmsg.backoff-max=1s", "--pair-enable",
                "--skychat.pair.invite-retry-min=200ms", "--skychat.pair.invite-retry-max=1s",
                "--skychat.pair.subscribe-retry-max=1s", "--skychat.cxo.backoff-min=100ms", "--skychat.cxo.backoff-max=1s"};
    }

    @AfterAll
    static void stop() {
        if (bob != null) {
            bob.close();
        }
        if (alice != null) {
            alice.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (discovery != null) {
            discovery.close();
        }
    }

    private CliRunner.Result on(Node node, String... verbAndFlags) {
        Path dir = work.resolve(node == alice ? "alice" : "bob");
        List<String> target = new ArrayList<>(List.of("--addr", "127.0.0.1:" + node.httpPort()));
        if (Files.isReadable(dir.resolve("api.token"))) {
            target.addAll(List.of("--token-file", dir.resolve("api.token").toString()));
        }
        return new CliRunner(home).run(TwoNodes.args(target, verbAndFlags));
    }

    @Test
    void addAcceptSendPollListRemove() {
        CliRunner.Result add = on(alice, "pair", "add", BOB_PK);
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).isEqualTo("pair with " + BOB_PK + ": pending-out\n");

        await().atMost(WAIT).until(() -> on(bob, "pair", "invites", "--json").out().contains(ALICE_PK));
        CliRunner.Result accept = on(bob, "pair", "accept", ALICE_PK);
        assertThat(accept.exit()).as(accept.err()).isZero();
        assertThat(accept.out()).isEqualTo("invite from " + ALICE_PK + " accepted\n");
        await().atMost(WAIT).until(() -> on(alice, "pair", "list").out().contains("active"));

        JsonNode list = JSON.readTree(on(alice, "pair", "list", "--json").out());
        assertThat(list.get(0).path("peer_pk").asString()).isEqualTo(BOB_PK);
        assertThat(list.get(0).path("status").asString()).isEqualTo("active");

        CliRunner.Result send = on(alice, "pair", "send", BOB_PK, "see", "you", "at", "eight");
        assertThat(send.exit()).as(send.err()).isZero();
        assertThat(send.out()).startsWith("Pair message sent to " + BOB_PK + " (id=");

        await().atMost(WAIT).until(() -> on(bob, "pair", "poll", "--since", "10m").out().contains("see you at eight"));
        String line = on(bob, "pair", "poll", "--since", "10m", "--json").out().strip();
        JsonNode m = JSON.readTree(line);
        assertThat(m.path("peer_pk").asString()).isEqualTo(ALICE_PK);
        assertThat(m.path("text").asString()).isEqualTo("see you at eight");
        assertThat(on(bob, "pair", "poll", "--since", m.path("ts").asString()).out()).isEmpty();

        CliRunner.Result remove = on(alice, "pair", "remove", BOB_PK);
        assertThat(remove.exit()).as(remove.err()).isZero();
        assertThat(JSON.readTree(on(alice, "pair", "list", "--json").out()).get(0).path("status").asString())
                .isEqualTo("revoked");
    }

    @Test
    void badInputIsOneLineAndNonZero() {
        CliRunner.Result badKey = on(alice, "pair", "add", "nothex");
        assertThat(badKey.exit()).isNotZero();
        assertThat(badKey.err()).startsWith("skychat pair: ").contains("\"nothex\" is neither a public key");
        assertThat(badKey.out()).isEmpty();

        CliRunner.Result noSub = on(alice, "pair");
        assertThat(noSub.exit()).isNotZero();
        assertThat(noSub.err()).contains("needs a subcommand");

        CliRunner.Result noInvite = on(alice, "pair", "accept", io.skychat.support.Keys.CAROL_PK);
        assertThat(noInvite.exit()).isNotZero();
        assertThat(noInvite.err().lines().findFirst().orElse("")).contains("no pending invite from");
        assertThat(noInvite.out()).isEmpty();

        CliRunner.Result badSince = on(alice, "pair", "poll", "--since", "yesterday");
        assertThat(badSince.exit()).isNotZero();
    }
}
