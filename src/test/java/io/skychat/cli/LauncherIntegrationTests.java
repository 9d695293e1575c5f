package io.skychat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/skychat against the packaged jar: it builds its start-up cache once and keeps stdout clean. */
class LauncherIntegrationTests {

    record Run(int exit, String out, String err) {
    }

    private static Run launch(Path cache, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("sh", "bin/skychat"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        Path err = Files.createTempFile(cache, "err", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(err));
    }

    @Test
    void verbsRunThroughTheCacheWithNothingButTheirOutputOnStdout(@TempDir Path cache) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("target/skychat.jar")), "the jar is built by `package`");
        Run first = launch(cache, "gen-keys");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).matches("0[23][0-9a-f]{64}\n[0-9a-f]{64}\n");
        assertThat(first.err()).isEmpty();
        try (var entries = Files.list(cache.resolve("skychat"))) {
            Path entry = entries.findFirst().orElseThrow();
            assertThat(entry.resolve("ready")).exists();
            assertThat(entry.resolve("app.jsa")).exists();
        }

        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Run down = launch(cache, "status", "--addr", "127.0.0.1:" + closed);
        assertThat(down.exit()).isEqualTo(Cli.UNREACHABLE);
        assertThat(down.out()).isEmpty();
        assertThat(down.err()).isEqualTo("skychat status: cannot reach skychat at 127.0.0.1:" + closed + ": connection refused\n");
        // the global flag before the verb: the same verb, not a service start
        Run before = launch(cache, "--addr", "127.0.0.1:" + closed, "status");
        assertThat(before.exit()).as(before.err()).isEqualTo(Cli.UNREACHABLE);
        assertThat(before.err()).isEqualTo(down.err());

        // --via runs Reactor Netty in the CLI process: its logging must stay off stdout and below INFO
        Run via = launch(cache, "send", "--via", "tcp://" + io.skychat.support.Keys.BOB_PK + "@127.0.0.1:" + closed,
                "-m", "hi", "--sk", io.skychat.support.Keys.ALICE_SK);
        assertThat(via.exit()).isEqualTo(Cli.FAILED);
        assertThat(via.out()).isEmpty();
        assertThat(via.err()).startsWith("skychat send: cannot dial tcp://" + io.skychat.support.Keys.BOB_PK)
                .doesNotContain("DEBUG").doesNotContain("INFO");
        assertThat(via.err().lines()).hasSize(1);

        Run help = launch(cache, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("usage: skychat <command>");
    }
}
