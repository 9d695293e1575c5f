package io.skychat.cli;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.BOB_PK;
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
 * The chat TUI driven through a real pseudo-terminal: the packaged jar runs under tmux, keys are typed
 * into it and the screen is read back, while Bob's service is checked for what actually arrived.
 */
class ChatTuiIntegrationTests {

    private static final Duration SCREEN_WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path work;
    static TwoNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Tmux.available(), "tmux is not installed");
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

    private static String text(List<String> screen) {
        return String.join("\n", screen);
    }

    private static List<String> awaitScreen(Tmux tmux, String what, Predicate<List<String>> condition) {
        return await(what).atMost(SCREEN_WAIT).until(tmux::screen, condition);
    }

    @Test
    void typeALineSeeItReceivedReadTheReplyResizeAndLeaveTheTerminalAsItWas(@TempDir Path home) throws Exception {
        CliRunner cli = new CliRunner(home);
        assertThat(cli.run("alias", "add", "bob", BOB_PK).exit()).isZero();
        String command = "XDG_CONFIG_HOME=" + quote(home.resolve("config").toString()) + " " + javaCommand()
                + " chat -t bob " + String.join(" ", nodes.target(nodes.alice).stream().map(ChatTuiIntegrationTests::quote).toList())
                + "; echo EXIT=$?";

        ByteArrayOutputStream bobSaw = new ByteArrayOutputStream();
        Thread bobListens = new Thread(() -> new CliRunner(home)
                .run(bobSaw, TwoNodes.args(nodes.target(nodes.bob), "listen", "--raw", "--from", ALICE_PK)));
        bobListens.start();
        try (Tmux tmux = new Tmux(100, 24)) {
            tmux.type(command);
            tmux.press("Enter");
            List<String> screen = awaitScreen(tmux, "the chat screen is up and live",
                    s -> s.get(0).contains("chat with bob") && s.get(0).contains("[live]"));
            assertThat(screen).hasSize(24);
            assertThat(screen.get(23)).startsWith(">");

            tmux.type("hello from the tui");
            awaitScreen(tmux, "the typed text in the input line", s -> s.get(23).equals("> hello from the tui"));
            tmux.press("Enter");
            await("bob received it").atMost(Duration.ofSeconds(20))
                    .until(() -> bobSaw.toString(StandardCharsets.UTF_8).lines().anyMatch("hello from the tui"::equals));
            screen = awaitScreen(tmux, "the line marked received",
                    s -> s.stream().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d you: hello from the tui  \\(received\\)")));
            assertThat(screen.get(23)).isEqualTo(">");
            assertThat(text(screen).split("hello from the tui", -1)).as("shown once").hasSize(2);

            CliRunner.Result reply = new CliRunner(home).run(TwoNodes.args(nodes.target(nodes.bob),
                    "send", "-t", ALICE_PK, "-m", "hi tui\nsecond line", "-w", "5s"));
            assertThat(reply.exit()).as(reply.err()).isZero();
            awaitScreen(tmux, "bob's reply", s -> s.stream().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d bob: hi tui\\\\nsecond line")));

            tmux.resize(60, 12);
            screen = awaitScreen(tmux, "the layout redrawn for 60x12", s -> s.size() == 12 && s.get(0).contains("chat with bob")
                    && s.get(11).startsWith(">") && s.get(10).equals("-".repeat(60)));
            assertThat(text(screen)).contains("bob: hi tui");

            tmux.type("an unsent draft");
            tmux.press("Escape");
            awaitScreen(tmux, "the shell back after Esc", s -> text(s).contains("EXIT=0"));
            tmux.type("if stty -a | grep -q -e '-icanon' -e ' -echo '; then echo STILL-RAW; else echo COOKED; fi");
            tmux.press("Enter");
            // the answer on a line of its own (the command line typed above contains both words)
            screen = awaitScreen(tmux, "the terminal mode check", s -> s.contains("COOKED") || s.contains("STILL-RAW"));
            assertThat(screen).contains("COOKED").doesNotContain("STILL-RAW");
            assertThat(bobSaw.toString(StandardCharsets.UTF_8)).doesNotContain("an unsent draft");

            tmux.type(command.replace("EXIT=", "AGAIN="));
            tmux.press("Enter");
            awaitScreen(tmux, "the chat again, history from the stream replay", s -> s.get(0).contains("[live]")
                    && text(s).contains("you: hello from the tui  (received)"));
            tmux.press("C-c");
            awaitScreen(tmux, "the shell back after Ctrl-C", s -> text(s).contains("AGAIN=0"));
        } finally {
            bobListens.interrupt();
            bobListens.join(10_000);
        }
    }
}
