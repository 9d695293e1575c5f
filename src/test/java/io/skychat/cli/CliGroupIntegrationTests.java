package io.skychat.cli;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

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
 * The {@code group} verbs against two live services, as a user would type them; the group feeds and the
 * admission requests travel over dmsg (a relay and discovery on loopback).
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class CliGroupIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path work;
    @TempDir
    Path home;
    static TestDiscovery discovery;
    static TestDmsgServer relay;
    static Node alice;
    static Node bob;
    static Node noRelay;

    @BeforeAll
    static void start() {
        discovery = TestDiscovery.start();
        relay = new TestDmsgServer(KeyPair.deterministic("skychat cli group relay".getBytes(StandardCharsets.UTF_8)),
                discovery).start();
        alice = Node.start(work.resolve("alice"), flags(ALICE_SK));
        bob = Node.start(work.resolve("bob"), flags(BOB_SK));
        noRelay = Node.start(work.resolve("plain"), "--standalone", "--sk", ALICE_SK);
    }

    private static String[] flags(String sk) {
        return new String[] {"--standalone", "--sk", sk, "--dmsg", "--dmsg-disc", discovery.url(),
                "--skychat.dmsg.backoff-max=1s", "--skychat.cxo.backoff-min=100ms", "--skychat.cxo.backoff-max=1s",
                "--skychat.group.join-stagger=200ms", "--skychat.group.join-timeout=5s", "--skychat.group.pending-retry=1s",
                "--skychat.group.roster-rebroadcast=200ms", "--skychat.group.subscribe-retry-max=1s"};
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {noRelay, bob, alice, relay, discovery}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private CliRunner.Result on(Node node, String... verbAndFlags) {
        return new CliRunner(home).run(TwoNodes.args(target(node), verbAndFlags));
    }

    private static List<String> target(Node node) {
        Path dir = work.resolve(node == alice ? "alice" : node == bob ? "bob" : "plain");
        List<String> target = new ArrayList<>(List.of("--addr", "127.0.0.1:" + node.httpPort()));
        if (Files.isReadable(dir.resolve("api.token"))) {
            target.addAll(List.of("--token-file", dir.resolve("api.token").toString()));
        }
        return target;
    }

    private CliRunner.Result ok(Node node, String... verbAndFlags) {
        CliRunner.Result r = on(node, verbAndFlags);
        assertThat(r.exit()).as(String.join(" ", verbAndFlags) + ": " + r.err()).isZero();
        return r;
    }

    /** A public group of Alice's that Bob joined by the link: its id. */
    private String groupWithBob(String name, String kind) {
        JsonNode created = JSON.readTree(ok(alice, "group", "create", name, "--kind", kind, "--json").out());
        String id = created.path("info").path("id").asString();
        ok(bob, "group", "join", created.path("invite").asString());
        await().atMost(WAIT).until(() -> JSON.readTree(ok(bob, "group", "info", id, "--json").out())
                .path("status").asString().equals("active"));
        return id;
    }

    @Test
    void createJoinListInfoInviteSendHistory() {
        CliRunner.Result created = ok(alice, "group", "create", "book", "club", "--kind", "public", "--member", BOB_PK);
        List<String> lines = created.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("group created");
        assertThat(lines.get(1)).startsWith("  id:      ");
        assertThat(lines.get(2)).isEqualTo("  name:    book club");
        assertThat(lines.get(3)).isEqualTo("  kind:    public");
        assertThat(lines).contains("  members: 2", "invite link (share with members):");
        String id = lines.get(1).substring("  id:      ".length());
        String link = lines.get(lines.size() - 1).strip();
        assertThat(link).startsWith("skychat:invite:");
        assertThat(ok(alice, "group", "invite", id).out()).isEqualTo(link + "\n");

        CliRunner.Result joined = ok(bob, "group", "join", link);
        assertThat(joined.out()).startsWith("joined group \"book club\"\n  id:    " + id + "\n  owner: " + ALICE_PK);
        await().atMost(WAIT).until(() -> ok(bob, "group", "list").out().contains("active"));

        for (Node n : List.of(alice, bob)) {
            List<String> table = ok(n, "group", "list").out().lines().toList();
            assertThat(table.get(0)).matches("ID +NAME +MODE +ROLE +STATUS +MEMBERS +LAST_MESSAGE");
            String row = table.stream().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
            assertThat(row.split(" {2,}")).containsSubsequence(id, "book club", "public");
            assertThat(row).contains(n == alice ? "owner" : "member");
            await().atMost(WAIT).until(() -> JSON.readTree(ok(n, "group", "info", id, "--json").out())
                    .path("members_count").asInt() == 2);
        }
        JsonNode list = JSON.readTree(ok(alice, "group", "list", "--json").out());
        assertThat(list.valueStream().map(g -> g.path("id").asString())).contains(id);

        String info = ok(bob, "group", "info", id).out();
        assertThat(info).contains("id:              " + id).contains("owner:           " + ALICE_PK)
                .contains("members (2):").contains("  " + BOB_PK);

        assertThat(ok(alice, "group", "send", id, "dinner", "at", "eight?").out()).isEqualTo("sent to " + id + "\n");
        await().atMost(WAIT).until(() -> ok(bob, "group", "history", id).out().contains("dinner at eight?"));
        String line = ok(bob, "group", "history", id).out().strip();
        assertThat(line).matches("\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ] \\[" + id + "] " + ALICE_PK
                + ": dinner at eight\\?");
        JsonNode m = JSON.readTree(ok(bob, "group", "history", id, "--json").out().strip());
        assertThat(m.path("group_id").asString()).isEqualTo(id);
        assertThat(m.path("sender_pk").asString()).isEqualTo(ALICE_PK);
        assertThat(m.path("body").asString()).isEqualTo("dinner at eight?");
        assertThat(ok(bob, "group", "history", id, "--since", m.path("ts").asString()).out()).isEmpty();
        String row = ok(alice, "group", "list").out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertThat(row).matches(".*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"); // a last message now
    }

    @Test
    void listenPrintsEachGroupMessageOnceLiveAndByPolling() throws Exception {
        String id = groupWithBob("listeners", "public");
        for (String[] mode : List.of(new String[] {"--json"}, new String[] {"--json", "--interval", "200ms"})) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AtomicReference<CliRunner.Result> result = new AtomicReference<>();
            List<String> args = new ArrayList<>(List.of("group", "listen", id));
            args.addAll(List.of(mode));
            Thread listener = new Thread(() -> result.set(new CliRunner(home).run(out,
                    TwoNodes.args(target(bob), args.toArray(String[]::new)))));
            listener.start();
            try {
                String text = "line one\nline two " + UUID.randomUUID();
                ok(alice, "group", "send", id, text);
                await().atMost(WAIT).until(() -> out.toString(StandardCharsets.UTF_8).contains(text.substring(10)));
                listener.interrupt();
                listener.join(10_000);
                assertThat(listener.isAlive()).isFalse();
                List<String> mine = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(text.substring(10)))
                        .toList();
                assertThat(mine).as(String.join(" ", mode)).hasSize(1);
                JsonNode event = JSON.readTree(mine.get(0));
                assertThat(event.path("body").asString()).isEqualTo(text);
                assertThat(event.path("group_id").asString()).isEqualTo(id);
                assertThat(event.path("sender_pk").asString()).isEqualTo(ALICE_PK);
                assertThat(result.get().exit()).isZero();
            } finally {
                listener.interrupt();
            }
        }
    }

    @Test
    void adminVerbsPrintTheNewRosterAndAMemberOfAChannelIsToldWhyItCannotPost() {
        String id = groupWithBob("news", "channel");
        CliRunner.Result refused = on(bob, "group", "send", id, "may", "I?");
        assertThat(refused.exit()).isEqualTo(Cli.FAILED);
        assertThat(refused.err()).startsWith("skychat group: ").containsIgnoringCase("admin");
        assertThat(refused.err().lines()).hasSize(1);
        assertThat(refused.out()).isEmpty();

        assertThat(ok(alice, "group", "promote", id, BOB_PK).out()).isEqualTo("group " + id + " now has 2 admin(s)\n");
        assertThat(ok(alice, "group", "demote", id, BOB_PK).out()).isEqualTo("group " + id + " now has 1 admin(s)\n");
        String carol = io.skychat.support.Keys.CAROL_PK;
        assertThat(ok(alice, "group", "add", id, carol).out()).isEqualTo("group " + id + " now has 3 members\n");
        assertThat(ok(alice, "group", "remove", id, carol).out()).isEqualTo("group " + id + " now has 2 members\n");
        CliRunner.Result requests = ok(alice, "group", "requests", id);
        assertThat(requests.out()).isEmpty();
        assertThat(requests.err()).contains("no join requests");

        assertThat(ok(bob, "group", "leave", id).out()).isEqualTo("left " + id + "\n");
        assertThat(ok(bob, "group", "list", "--all").out()).contains("left");
        assertThat(ok(alice, "group", "delete", id).out()).isEqualTo("deleted " + id + "\n");
    }

    @Test
    void badInputIsOneLineAndNonZero() {
        CliRunner.Result noSub = on(alice, "group");
        assertThat(noSub.exit()).isEqualTo(Cli.USAGE);
        assertThat(noSub.err()).contains("needs a subcommand");

        CliRunner.Result unknownSub = on(alice, "group", "frobnicate");
        assertThat(unknownSub.exit()).isEqualTo(Cli.USAGE);

        CliRunner.Result badKind = on(alice, "group", "create", "x", "--kind", "secret");
        assertThat(badKind.exit()).isEqualTo(Cli.USAGE);
        assertThat(badKind.err()).contains("--kind must be public, private or channel");

        CliRunner.Result badLink = on(bob, "group", "join", "skychat:invite:eyJpZCI6");
        assertThat(badLink.exit()).isEqualTo(Cli.FAILED);
        assertThat(badLink.err().lines().findFirst().orElse("")).startsWith("skychat group: ");
        assertThat(badLink.out()).isEmpty();

        CliRunner.Result unknown = on(alice, "group", "info", UUID.randomUUID().toString());
        assertThat(unknown.exit()).isEqualTo(Cli.FAILED);
        assertThat(unknown.err()).startsWith("skychat group: ").contains("no group");

        CliRunner.Result notAnId = on(alice, "group", "history", "not-an-id");
        assertThat(notAnId.exit()).isEqualTo(Cli.FAILED);
        assertThat(notAnId.err()).contains("group id must be a UUID");

        CliRunner.Result badPk = on(alice, "group", "add", UUID.randomUUID().toString(), "nothex");
        assertThat(badPk.exit()).isNotZero();
        assertThat(badPk.err()).startsWith("skychat group: ").contains("\"nothex\"");

        CliRunner.Result both = on(alice, "group", "listen", "--raw", "--json");
        assertThat(both.exit()).isEqualTo(Cli.USAGE);

        CliRunner.Result off = on(noRelay, "group", "list");
        assertThat(off.exit()).isEqualTo(Cli.UNAVAILABLE);
        assertThat(off.err()).contains("relay network");
    }
}
