package io.skychat.cli;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.CAROL_PK;
import static io.skychat.support.Keys.CAROL_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Every verb against two live services talking TCP-direct, run in-process as a user would type them. */
class CliTwoNodesIntegrationTests {

    private static final Pattern ACKED = Pattern.compile(
            "Acked by " + BOB_PK + " in (\\d+)ms \\(id=([0-9a-f]{16})\\)\n");

    @TempDir
    static Path work;
    @TempDir
    Path home;
    static TwoNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = TwoNodes.start(work);
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private CliRunner.Result alice(String... verbAndFlags) {
        return new CliRunner(home).run(TwoNodes.args(nodes.target(nodes.alice), verbAndFlags));
    }

    @Test
    void sendWaitsForTheAckAndSaysWhoAckedHowFastAndTheId() {
        CliRunner.Result r = alice("send", "-t", BOB_PK, "-m", "hi", "-w", "5s");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches(ACKED);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void anUnreachableKeyIsNeverReportedDelivered() {
        CliRunner.Result r = alice("send", "-t", CAROL_PK, "-m", "anyone?", "-w", "1s");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).satisfiesAnyOf(
                e -> assertThat(e).startsWith("send to " + CAROL_PK + " via ").contains(" not acked: "),
                e -> assertThat(e).startsWith("skychat send: ").contains(CAROL_PK));
    }

    @Test
    void anAliasWorksWhereverAKeyDoes() {
        CliRunner cli = new CliRunner(home);
        assertThat(cli.run("alias", "add", "bob", BOB_PK).exit()).isZero();
        CliRunner.Result r = cli.run(TwoNodes.args(nodes.target(nodes.alice), "send", "-t", "bob", "-m", "via alias", "-w", "5s"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches(ACKED);
    }

    @Test
    void fireAndForgetNamesTheNetwork() {
        CliRunner.Result r = alice("send", "-t", BOB_PK, "-m", "no wait", "-w", "0", "--json");
        assertThat(r.exit()).isZero();
        JsonNode answer = Json.tree(r.out(), "t");
        assertThat(answer.path("id").asString()).matches("[0-9a-f]{16}");
        assertThat(answer.has("acked")).isFalse();
        assertThat(alice("send", "-t", BOB_PK, "-m", "no wait", "-w", "0").out())
                .isEqualTo("Message sent to " + BOB_PK + " via tcp-direct\n");
    }

    @Test
    void verboseShowsEachLayerAndTheCountersItMoved() {
        CliRunner.Result r = alice("send", "-t", BOB_PK, "-m", "tell me more", "--verbose");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).matches(ACKED);
        assertThat(r.err()).contains("[verbose] POST /message {\"recipient\":\"" + BOB_PK + "\"")
                .contains("[verbose] HTTP 200 in ")
                .containsPattern("\\[verbose\\] /status counters: .*outbound_msg_count (\\d+)→\\d+ \\(\\+1\\)");
    }

    @Test
    void listenOnBobPrintsAlicesMessageAsOneJsonLineOnce() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicReference<CliRunner.Result> result = new AtomicReference<>();
        Thread listener = new Thread(() -> result.set(new CliRunner(home)
                .run(out, TwoNodes.args(nodes.target(nodes.bob), "listen", "--json", "--from", ALICE_PK))));
        listener.start();
        try {
            CliRunner.Result sent = alice("send", "-t", BOB_PK, "-m", "line one\nline two", "-w", "5s");
            assertThat(sent.exit()).isZero();
            Matcher m = ACKED.matcher(sent.out());
            assertThat(m.matches()).isTrue();
            String id = m.group(2);
            await().atMost(Duration.ofSeconds(15)).until(() -> out.toString(StandardCharsets.UTF_8).contains(id));
            listener.interrupt();
            listener.join(10_000);
            assertThat(listener.isAlive()).isFalse();
            List<String> mine = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(id)).toList();
            assertThat(mine).hasSize(1);
            JsonNode event = Json.tree(mine.get(0), "t");
            assertThat(event.path("message").asString()).isEqualTo("line one\nline two");
            assertThat(event.path("sender").asString()).isEqualTo(ALICE_PK);
            assertThat(event.path("dir").asString()).isEqualTo("in");
            assertThat(out.toString(StandardCharsets.UTF_8).lines()).allSatisfy(l -> Json.tree(l, "t"));
            assertThat(result.get().exit()).isZero();
        } finally {
            listener.interrupt();
        }
    }

    @Test
    void statusJsonIsTheServicesJsonAndTheSummaryNamesTheNode() {
        CliRunner.Result r = alice("status", "--json");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).hasSize(1);
        JsonNode status = Json.tree(r.out(), "t");
        assertThat(status.path("visor_pk").asString()).isEqualTo(ALICE_PK);
        assertThat(status.path("peers").get(0).asString()).isEqualTo(BOB_PK);
        CliRunner.Result human = alice("status");
        assertThat(human.out()).contains("identity     " + ALICE_PK).contains("links        1 (" + BOB_PK + ")");
    }

    @Test
    void sendViaDialsThePeersChatAppDirectly() {
        CliRunner.Result r = new CliRunner(home).run("send", "--via", "tcp://" + ALICE_PK + "@127.0.0.1:" + nodes.alice.tcpPort(),
                "-m", "straight to you", "--sk", CAROL_SK, "--addr", "127.0.0.1:1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("Acked by " + ALICE_PK + " in \\d+ms \\(id=[0-9a-f]{16}\\)\n");
        assertThat(r.err()).isEmpty();

        CliRunner.Result ephemeral = new CliRunner(home).run("send", "--via", "tcp://" + ALICE_PK + "@127.0.0.1:"
                + nodes.alice.tcpPort(), "-m", "who am I", "-w", "0");
        assertThat(ephemeral.exit()).isZero();
        assertThat(ephemeral.out()).isEqualTo("Message sent to " + ALICE_PK + " via tcp-direct\n");
        assertThat(ephemeral.err()).contains("warning: no --sk, DMSGCURL_SK or -c given; dialling with the ephemeral key");
    }

    @Test
    void historyShowsTheConversation() {
        CliRunner.Result sent = alice("send", "-t", BOB_PK, "-m", "for the record", "-w", "5s");
        assertThat(sent.exit()).isZero();
        CliRunner.Result r = alice("history", "--peer", BOB_PK);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l)
                .matches("\\d{4}-\\d\\d-\\d\\dT\\S+ \\[out @ " + BOB_PK + "] for the record"));
        CliRunner.Result json = alice("history", "--peer", BOB_PK, "--json", "--since", "1h");
        assertThat(json.out().lines()).allSatisfy(l -> Json.tree(l, "t"))
                .anySatisfy(l -> assertThat(Json.tree(l, "t").path("text").asString()).isEqualTo("for the record"));
    }

    @Test
    void eventsFollowTheFeed() throws Exception {
        CliRunner.Result sent = alice("send", "-t", BOB_PK, "-m", "an event", "-w", "5s");
        assertThat(sent.exit()).isZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicReference<CliRunner.Result> result = new AtomicReference<>();
        Thread follower = new Thread(() -> result.set(new CliRunner(home)
                .run(out, TwoNodes.args(nodes.target(nodes.alice), "events", "--json", "--channel", "dm"))));
        follower.start();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> out.toString(StandardCharsets.UTF_8).contains("\"an event\""));
            assertThat(result.get()).as("events stopped on its own").isNull();
            follower.interrupt();
            follower.join(10_000);
            assertThat(follower.isAlive()).isFalse();
            assertThat(out.toString(StandardCharsets.UTF_8).lines()).allSatisfy(l -> assertThat(Json.tree(l, "t").has("seq")).isTrue());
        } finally {
            follower.interrupt();
        }
    }
}
