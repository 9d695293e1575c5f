package io.skychat.cli;

import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Node;
import io.skychat.transport.dmsg.TestDiscovery;
import io.skychat.transport.dmsg.TestDmsgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code send -n dmsg} against a live node on a loopback dmsg relay, run in-process as a user would type it. */
class CliDmsgIntegrationTests {

    private static final Pattern ACKED = Pattern.compile(
            "Acked by " + BOB_PK + " in (\\d+)ms \\(id=([0-9a-f]{16})\\)\n");
    private static final KeyPair SERVER = KeyPair.deterministic("skychat cli dmsg server".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path work;
    @TempDir
    Path home;

    @Test
    void sendOverDmsgSaysWhoAckedAndHowFast() throws Exception {
        Path a = Files.createDirectories(work.resolve("alice"));
        Path b = Files.createDirectories(work.resolve("bob"));
        try (TestDiscovery discovery = TestDiscovery.start();
             TestDmsgServer relay = new TestDmsgServer(SERVER, discovery).start();
             Node alice = Node.start(a, "--standalone", "--sk", ALICE_SK, "--dmsg", "--dmsg-disc", discovery.url(),
                     "--skychat.dmsg.backoff-max=1s");
             Node bob = Node.start(b, "--standalone", "--sk", BOB_SK, "--dmsg", "--dmsg-disc", discovery.url(),
                     "--skychat.dmsg.backoff-max=1s")) {
            PeerKey alicePk = KeyPair.fromSecretHex(ALICE_SK).publicKey();
            PeerKey bobPk = PeerKey.parse(BOB_PK);
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.hasSession(alicePk) && relay.hasSession(bobPk)
                    && registered(discovery, alicePk) && registered(discovery, bobPk));
            List<String> args = new ArrayList<>(List.of("send", "-t", BOB_PK, "-m", "hi over dmsg", "-n", "dmsg",
                    "-w", "10s", "--addr", "127.0.0.1:" + alice.httpPort()));
            if (Files.isReadable(a.resolve("api.token"))) {
                args.addAll(List.of("--token-file", a.resolve("api.token").toString()));
            }
            CliRunner.Result r = new CliRunner(home).run(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isZero();
            Matcher m = ACKED.matcher(r.out());
            assertThat(m.matches()).as(r.out()).isTrue();
            assertThat(r.err()).isEmpty();
        }
    }

    private static boolean registered(TestDiscovery discovery, PeerKey pk) {
        return discovery.entry(pk).map(e -> e.client() != null
                && e.client().delegatedServers().contains(SERVER.publicKey())).orElse(false);
    }
}
