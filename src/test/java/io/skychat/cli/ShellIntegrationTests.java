package io.skychat.cli;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.CAROL_PK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skychat shell} driven through a real pseudo-terminal (tmux) against two real nodes, and
 * {@code skychat script} against the same pair: keys are typed, the screen is read back, and Bob's own
 * {@code listen} shows what actually arrived.
 */
class ShellIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path work;
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

    private static String javaCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of("target", "skychat.jar");
        String launch = Files.isRegularFile(jar)
                ? "-jar " + quote(jar.toAbsolutePath().toString())
                : "-cp " + quote(System.getProperty("java.class.path")) + " io.skychat.SkychatApplication";
        return quote(java) + " " + launch;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String prompt() {
        return "skychat 127.0.0.1:" + nodes.alice.httpPort() + "> ";
    }

    /** The last row that is not blank: where the cursor's line is. */
    private static String lastLine(List<String> screen) {
        for (int i = screen.size() - 1; i >= 0; i--) {
            if (!screen.get(i).isBlank()) {
                return screen.get(i);
            }
        }
        return "";
    }

    private static List<String> awaitScreen(Tmux tmux, String what, Predicate<List<String>> condition) {
        return await(what).atMost(WAIT).until(tmux::screen, condition);
    }

    private static List<String> awaitAll(Tmux tmux, String what, Predicate<List<String>> condition) {
        return await(what).atMost(WAIT).until(tmux::joined, condition);
    }

    private static void awaitPrompt(Tmux tmux, String what) {
        awaitScreen(tmux, what, s -> lastLine(s).equals(prompt().stripTrailing()));
    }

    @Test
    void completeSendListenChatAndLeaveWithTheTerminalAsItWas(@TempDir Path home) throws Exception {
        Assumptions.assumeTrue(Tmux.available(), "tmux is not installed");
        CliRunner cli = new CliRunner(home);
        assertThat(cli.run("alias", "add", "bob", BOB_PK).exit()).isZero();
        Path stty = home.resolve("stty-before");
        String command = "stty -g > " + quote(stty.toString()) + "; XDG_CONFIG_HOME=" + quote(home.resolve("config").toString())
                + " " + javaCommand() + " shell "
                + String.join(" ", nodes.target(nodes.alice).stream().map(ShellIntegrationTests::quote).toList())
                + "; echo EXIT=$?";

        ByteArrayOutputStream bobSaw = new ByteArrayOutputStream();
        Thread bobListens = new Thread(() -> new CliRunner(home)
                .run(bobSaw, TwoNodes.args(nodes.target(nodes.bob), "listen", "--raw", "--from", ALICE_PK)));
        bobListens.start();
        try (Tmux tmux = new Tmux(160, 40)) {
            tmux.type(command);
            tmux.press("Enter");
            awaitPrompt(tmux, "the shell's prompt");

            tmux.type("se");
            tmux.press("Tab");
            awaitScreen(tmux, "se completed to send", s -> lastLine(s).equals(prompt() + "send"));
            tmux.type("-t b");
            tmux.press("Tab");
            awaitScreen(tmux, "the alias completed", s -> lastLine(s).equals(prompt() + "send -t bob"));
            tmux.type("-m \"-- hi there\" -w 20s");
            tmux.press("Enter");
            awaitAll(tmux, "bob's receipt", s -> s.stream().anyMatch(l -> l.startsWith("Acked by " + BOB_PK + " in ")));
            await("bob received it unchanged").atMost(Duration.ofSeconds(20))
                    .until(() -> bobSaw.toString(StandardCharsets.UTF_8).lines().anyMatch("-- hi there"::equals));
            awaitPrompt(tmux, "the prompt after send");

            tmux.type("history --peer 03");
            tmux.press("Tab");
            awaitScreen(tmux, "a peer key completed from /history/peers",
                    s -> lastLine(s).equals(prompt() + "history --peer " + BOB_PK));
            tmux.press("Enter");
            awaitScreen(tmux, "the stored conversation", s -> s.stream().anyMatch(l -> l.contains("-- hi there")
                    && !l.startsWith(prompt())));
            awaitPrompt(tmux, "the prompt after history");

            tmux.type("status --json");
            tmux.press("Enter");
            awaitAll(tmux, "the status as JSON", s -> s.stream()
                    .anyMatch(l -> l.startsWith("{") && l.contains("\"visor_pk\":\"" + ALICE_PK + "\"")));
            awaitPrompt(tmux, "the prompt after status");

            tmux.type("help send");
            tmux.press("Enter");
            String example = "  " + new SendVerb().examples().get(1);
            awaitAll(tmux, "help send with the examples of send --help", s -> s.contains(example)
                    && s.contains("usage: " + new SendVerb().synopsis().lines().findFirst().orElseThrow()));
            awaitPrompt(tmux, "the prompt after help");

            tmux.type("listen --raw");
            tmux.press("Enter");
            awaitScreen(tmux, "listen running", s -> s.stream().anyMatch(l -> l.startsWith("listening on ")));
            CliRunner.Result reply = new CliRunner(home).run(TwoNodes.args(nodes.target(nodes.bob),
                    "send", "-t", ALICE_PK, "-m", "ping from bob", "-w", "10s"));
            assertThat(reply.exit()).as(reply.err()).isZero();
            awaitScreen(tmux, "bob's message printed by listen", s -> s.contains("ping from bob"));
            tmux.press("C-c");
            awaitPrompt(tmux, "the prompt after Ctrl-C stopped listen");
            tmux.type("alias ls");
            tmux.press("Enter");
            awaitScreen(tmux, "the shell still runs verbs", s -> s.stream().anyMatch(l -> l.startsWith("bob") && l.contains(BOB_PK)));
            awaitPrompt(tmux, "the prompt after alias ls");

            tmux.type("chat -t bob");
            tmux.press("Enter");
            awaitScreen(tmux, "the chat screen", s -> s.get(0).contains("chat with bob") && s.get(0).contains("[live]"));
            tmux.press("Escape");
            awaitPrompt(tmux, "the prompt after the chat");

            Path script = Files.writeString(home.resolve("inner.skychat"), "# from inside the shell\nalias add carol " + CAROL_PK + "\n");
            tmux.type("script " + quote(script.toString()));
            tmux.press("Enter");
            await("the script ran in the shell").atMost(WAIT).until(() -> cli.aliasesFor().entries().containsKey("carol"));
            awaitPrompt(tmux, "the prompt after the script");
            tmux.type("a line that is thrown away");
            tmux.press("C-c");
            awaitPrompt(tmux, "Ctrl-C at the prompt clears the line and keeps the shell");

            tmux.type("exit");
            tmux.press("Enter");
            awaitScreen(tmux, "the outer shell", s -> s.contains("EXIT=0"));
            tmux.type("if stty -g | cmp -s - " + quote(stty.toString()) + "; then echo STTY-SAME; else echo STTY-CHANGED; fi");
            tmux.press("Enter");
            List<String> screen = awaitScreen(tmux, "the terminal check", s -> s.contains("STTY-SAME") || s.contains("STTY-CHANGED"));
            assertThat(screen).contains("STTY-SAME");
        } finally {
            bobListens.interrupt();
            bobListens.join(10_000);
        }
        Path history = home.resolve("config").resolve("skywire").resolve(ShellConsole.HISTORY_FILE);
        assertThat(history).exists();
        assertThat(Files.readString(history)).contains("status --json").contains("send -t bob -m \"-- hi there\"");
    }

    @Test
    void aScriptRunsItsVerbsInOrderAndStopsAtTheFirstFailureWithItsExitCode(@TempDir Path home) throws Exception {
        CliRunner cli = new CliRunner(home);
        Path script = Files.writeString(home.resolve("morning.skychat"), """
                # set up and greet
                alias add carol %s
                alias add bob %s
                send -t bob -m "-- from a 'script'" -w 20s   # a trailing comment

                status --json
                send -t nobody -m "never sent"
                status
                """.formatted(CAROL_PK, BOB_PK));
        CliRunner.Result r = cli.run(TwoNodes.args(nodes.target(nodes.alice), "script", script.toString()));
        assertThat(r.exit()).as(r.err()).isEqualTo(Cli.USAGE);
        assertThat(r.out()).contains("Acked by " + BOB_PK);
        assertThat(r.out().lines().filter(l -> l.contains("\"visor_pk\"")).count()).as("status ran once, not after the failure")
                .isEqualTo(1);
        assertThat(r.err()).contains("\"nobody\" is neither a public key nor a known alias")
                .contains(script + ":7: send exited with 2");
        assertThat(cli.aliasesFor().entries()).containsKeys("carol", "bob");

        Path fine = Files.writeString(home.resolve("fine.skychat"), "status\nalias ls\n");
        CliRunner.Result ok = cli.run(TwoNodes.args(nodes.target(nodes.alice), "script", fine.toString()));
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("carol");

        Path broken = Files.writeString(home.resolve("broken.skychat"), "status\nsend -m \"unclosed\n");
        CliRunner.Result bad = cli.run("script", broken.toString(), "--addr", "127.0.0.1:9");
        assertThat(bad.exit()).as("the first line fails already: nothing listens on port 9").isEqualTo(Cli.UNREACHABLE);
        CliRunner.Result quote = cli.run("script", Files.writeString(home.resolve("q.skychat"), "send -m \"unclosed\n").toString());
        assertThat(quote.exit()).isEqualTo(Cli.USAGE);
        assertThat(quote.err()).contains("q.skychat:1: unclosed \"");

        CliRunner.Result missing = cli.run("script", home.resolve("nope.skychat").toString());
        assertThat(missing.exit()).isEqualTo(Cli.FAILED);
        assertThat(missing.err()).startsWith("skychat script: cannot read script");
    }
}
