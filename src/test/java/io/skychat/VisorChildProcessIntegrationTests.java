package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.skychat.core.PeerKey;
import io.skychat.support.NodeProcess;
import io.skychat.support.visor.TestVisor;
import io.skychat.transport.visor.ProcKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The jar as a visor's launcher runs it: its own process, PROC_CONFIG in the real environment, argv empty or
 * the proc args, stopped with a signal.
 */
class VisorChildProcessIntegrationTests {

    @TempDir
    Path work;

    Process launch(String procConfig, Path cwd, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-jar", Path.of("target", "skychat.jar").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Files.createDirectories(cwd);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                .redirectOutput(cwd.resolve("out.log").toFile()).redirectError(cwd.resolve("err.log").toFile());
        pb.environment().put("PROC_CONFIG", procConfig);
        return pb.start();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON        | {\"app_name\":                                                               | PROC_CONFIG: not JSON",
        "bad proc key    | {\"app_server_addr\":\"localhost:5505\",\"proc_key\":\"zz\",\"visor_pk\":\"" + ALICE_PK + "\"} | PROC_CONFIG: proc_key: a proc key is 32 hex characters, got 2",
        "bad visor key   | {\"app_server_addr\":\"localhost:5505\",\"proc_key\":\"a1b2c3d4e5f60718293a4b5c6d7e8f90\",\"visor_pk\":\"02ab\"} | PROC_CONFIG: visor_pk: public key must be 66 hex characters",
        "no app server   | {\"proc_key\":\"a1b2c3d4e5f60718293a4b5c6d7e8f90\",\"visor_pk\":\"" + ALICE_PK + "\"} | PROC_CONFIG: app_server_addr is missing",
    })
    void aMalformedProcConfigStopsTheStartInOneLineWithExitCode2(String what, String procConfig, String message)
            throws Exception {
        Path cwd = work.resolve("bad");
        Process p = launch(procConfig, cwd);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        List<String> err = Files.readAllLines(cwd.resolve("err.log"));
        assertThat(err).hasSize(1);
        assertThat(err.get(0)).startsWith("skychat: " + message);
        assertThat(Files.readString(cwd.resolve("out.log"))).isEmpty();
    }

    @Test
    void theChildTakesItsFlagsFromProcArgsWorksInProcWorkDirAndSaysStoppedOnSigterm() throws Exception {
        try (TestVisor visor = new TestVisor().start()) {
            ProcKey key = visor.register(PeerKey.parse(ALICE_PK));
            int port = NodeProcess.freePort();
            Path workDir = work.resolve("skychat");
            String procConfig = visor.procConfig(key, workDir.toString()).replace("\"proc_args\":null",
                    "\"proc_args\":[\"--addr\",\"127.0.0.1:" + port + "\",\"--management-addr\",\"127.0.0.1:0\"]");
            Process p = launch(procConfig, work.resolve("cwd"));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> visor.proc(key).statuses().contains("Running"));
                // The node answers on the port from proc_args, with its token in proc_work_dir.
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(workDir.resolve("api.token")));
                String token = Files.readString(workDir.resolve("api.token")).strip();
                String status = org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
                        .baseUrl("http://127.0.0.1:" + port).build().get().uri("/status")
                        .header("Authorization", "Bearer " + token).exchange().expectStatus().isOk()
                        .expectBody(String.class).returnResult().getResponseBody();
                assertThat(status).contains("\"visor_pk\":\"" + ALICE_PK + "\"");
            } finally {
                p.destroy(); // SIGTERM: the graceful path
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(visor.proc(key).statuses()).containsExactly("Running", "Stopped");
            assertThat(Files.readString(work.resolve("cwd").resolve("out.log"), StandardCharsets.UTF_8))
                    .contains("skychat identity " + ALICE_PK + " (from PROC_CONFIG visor_pk; the visor holds the secret key)");
        }
    }
}
