package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static io.skychat.support.NodeProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The container image the build leaves in {@code target/image} (an OCI image layout), run for real: two
 * containers, each with its own state volume, on the host's loopback. With a working {@code podman} they
 * run under podman; otherwise (podman missing, or unable to start a container on this host) the test does
 * what a runtime does by hand: it unpacks the image's layers into a root filesystem, mounts that read-only
 * with the volume, {@code /proc} and {@code /dev} in a private mount namespace, and runs the image's own
 * entrypoint as uid 10001 under {@code chroot}, so only the image's runtime and libraries are used. Either
 * way the process gets the image's environment plus the test's, and the test's arguments in place of the
 * image's {@code Cmd}. The mode that ran is printed.
 */
class ContainerImageIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path LAYOUT = Path.of("target", "image").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target", "skychat-image.tar").toAbsolutePath();
    private static final String VOLUME = "/var/lib/skychat";

    private static JsonNode config;
    private static List<Path> layers;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @BeforeAll
    static void readTheLayout() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(LAYOUT.resolve("index.json")),
                "no image in target/image (built by `package`; skipped with -Dskychat.image.skip)");
        JsonNode index = JSON.readTree(Files.readString(LAYOUT.resolve("index.json")));
        JsonNode manifest = blobJson(index.path("manifests").get(0).path("digest").asString());
        config = blobJson(manifest.path("config").path("digest").asString());
        layers = new ArrayList<>();
        manifest.path("layers").forEach(l -> layers.add(blob(l.path("digest").asString())));
    }

    @Test
    void theImageConfigurationRunsAsTheServiceUserWithOneStateVolume() {
        JsonNode c = config.path("config");
        assertThat(c.path("User").asString()).isEqualTo("10001:10001");
        assertThat(c.path("Volumes").propertyNames()).containsExactly(VOLUME);
        assertThat(c.path("Entrypoint").get(0).asString()).isEqualTo("/opt/java/bin/java");
        assertThat(c.path("Entrypoint").toString()).contains("-Djava.io.tmpdir=" + VOLUME + "/tmp", "-XX:+UseSerialGC");
        assertThat(c.path("Env").toString()).contains("SKYCHAT_WORKDIR=" + VOLUME);
        assertThat(config.path("rootfs").path("diff_ids").size()).isEqualTo(layers.size());
    }

    @Test
    void twoContainersAreHealthyAndChatOverTcpDirect() throws Exception {
        Runtime runtime = Runtime.choose(work);
        System.out.println("ContainerImageIntegrationTests: " + runtime.describe());
        int aHttp = freePort();
        int aManagement = freePort();
        int aTcp = freePort();
        int bHttp = freePort();
        int bManagement = freePort();
        try (Container a = runtime.start("a", Map.of("SKYCHAT_MANAGEMENT_ADDR", "127.0.0.1:" + aManagement),
                "--standalone", "--sk", ALICE_SK, "--addr", "127.0.0.1:" + aHttp,
                "--tcp-listen", "127.0.0.1:" + aTcp, "--tcp-whitelist", BOB_PK);
                Container b = runtime.start("b", Map.of("SKYCHAT_MANAGEMENT_ADDR", "127.0.0.1:" + bManagement),
                        "--standalone", "--sk", BOB_SK, "--addr", "127.0.0.1:" + bHttp,
                        "--tcp-peer", "tcp://" + ALICE_PK + "@127.0.0.1:" + aTcp)) {
            for (int management : List.of(aManagement, bManagement)) {
                await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                        .until(() -> health(management, "/actuator/health").path("status").asString().equals("UP"));
                assertThat(health(management, "/actuator/health/liveness").path("status").asString()).isEqualTo("UP");
                assertThat(health(management, "/actuator/health/readiness").path("status").asString()).isEqualTo("UP");
            }
            // The state, the token included, is in the volume and nowhere else.
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isRegularFile(a.volume().resolve("api.token")));
            WebTestClient aHttpClient = client(aHttp, a.volume());
            await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(aHttpClient.get().uri("/status").exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                    .path("active_peer_conns").asInt() == 1);
            String answer = aHttpClient.post().uri("/message").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("recipient", BOB_PK, "message", "hello from a container", "wait_ms", 10_000))
                    .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
            assertThat(JSON.readTree(answer).path("acked").asBoolean()).as(answer).isTrue();
            JsonNode history = JSON.readTree(client(bHttp, b.volume()).get().uri("/history?peer=" + ALICE_PK)
                    .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
            assertThat(history.get(0).path("text").asString()).isEqualTo("hello from a container");
            assertThat(a.uid()).isEqualTo(10001);
            assertThat(a.volume().resolve("skychat-history.db")).isRegularFile();
        }
    }

    private static JsonNode health(int port, String path) {
        return JSON.readTree(WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(10)).build().get().uri(path).exchange()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static WebTestClient client(int port, Path volume) throws IOException {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30))
                .defaultHeader("Authorization", "Bearer " + Files.readString(volume.resolve("api.token")).strip())
                .build();
    }

    private static Path blob(String digest) {
        return LAYOUT.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    private static JsonNode blobJson(String digest) {
        try {
            return JSON.readTree(Files.readString(blob(digest)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static int run(Path log, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        return p.waitFor() == 0 && out.equals("0");
    }

    /** One running container: its state volume on the host, and its process. */
    interface Container extends AutoCloseable {
        Path volume();

        int uid() throws IOException;

        @Override
        void close();
    }

    /** How containers are run: podman when it works here, else by hand from the unpacked layers. */
    interface Runtime {
        String describe();

        Container start(String name, Map<String, String> env, String... args) throws Exception;

        static Runtime choose(Path work) throws Exception {
            Path log = work.resolve("podman-probe.log");
            String image = "localhost/skychat:" + config.path("config").path("Labels")
                    .path("org.opencontainers.image.version").asString();
            boolean podman = Files.isExecutable(Path.of("/usr/bin/podman"))
                    && run(log, "podman", "load", "-q", "-i", ARCHIVE.toString()) == 0
                    && run(log, "podman", "run", "--rm", "--network", "host", "--entrypoint",
                            "/opt/java/bin/java", image, "-version") == 0;
            if (podman) {
                return new Podman(work, image);
            }
            if (Files.isExecutable(Path.of("/usr/bin/podman"))) {
                // not usable here: do not keep a copy of every build's image in podman's storage
                run(work.resolve("podman-rmi.log"), "podman", "rmi", "-f", image);
            }
            String why = Files.isExecutable(Path.of("/usr/bin/podman"))
                    ? "podman cannot run a container here: "
                            + Files.readAllLines(log).stream().filter(l -> !l.isBlank()).reduce((x, y) -> y).orElse("?")
                    : "podman is not installed";
            Assumptions.assumeTrue(isRoot(), "rootfs mode needs root (mount namespace and chroot); " + why);
            return new Rootfs(work, why);
        }
    }

    /** {@code podman run} with a host directory as the volume. */
    record Podman(Path work, String image) implements Runtime {
        @Override
        public String describe() {
            return "podman mode (" + image + ")";
        }

        @Override
        public Container start(String name, Map<String, String> env, String... args) throws Exception {
            Path volume = Files.createDirectories(work.resolve(name + "-volume"));
            run(work.resolve(name + "-chown.log"), "chown", "10001:10001", volume.toString());
            String container = "skychat-it-" + name + "-" + ProcessHandle.current().pid();
            List<String> cmd = new ArrayList<>(List.of("podman", "run", "--rm", "--name", container, "--network", "host",
                    "--read-only", "-v", volume + ":" + VOLUME));
            env.forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
            cmd.add(image);
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(work.resolve(name + ".log").toFile()).start();
            return new Container() {
                @Override
                public Path volume() {
                    return volume;
                }

                @Override
                public int uid() throws IOException {
                    return Integer.parseInt(Files.getAttribute(volume.resolve("api.token"), "unix:uid").toString());
                }

                @Override
                public void close() {
                    try {
                        run(work.resolve(name + "-stop.log"), "podman", "stop", "-t", "15", container);
                        p.waitFor(30, TimeUnit.SECONDS);
                    } catch (IOException | InterruptedException e) {
                        p.destroyForcibly();
                    }
                }
            };
        }
    }

    /** The image's layers unpacked and run the way a runtime would, with only the image's files. */
    record Rootfs(Path work, String why) implements Runtime {
        // In a private mount namespace (gone with the process): the root filesystem read-only, the volume
        // writable, /proc and /dev; then the image's entrypoint as the image's user, chrooted.
        private static final String ENTER = "set -e; r=$0; v=$1; u=$2; shift 2; "
                + "mount --bind \"$r\" \"$r\"; mount -o remount,bind,ro \"$r\"; "
                + "mount --bind \"$v\" \"$r" + VOLUME + "\"; mount -t proc proc \"$r/proc\"; "
                + "mount --rbind /dev \"$r/dev\"; exec /usr/sbin/chroot --userspec=\"$u\" \"$r\" \"$@\"";

        @Override
        public String describe() {
            return "rootfs mode (" + why + ")";
        }

        @Override
        public Container start(String name, Map<String, String> env, String... args) throws Exception {
            Path root = Files.createDirectories(work.resolve(name + "-rootfs"));
            for (Path layer : layers) {
                assertThat(run(work.resolve(name + "-unpack.log"), "tar", "-xzf", layer.toString(), "-C", root.toString()))
                        .as("unpacking " + layer).isZero();
            }
            Files.createDirectories(root.resolve("proc"));
            Files.createDirectories(root.resolve("dev"));
            Path volume = Files.createDirectories(work.resolve(name + "-volume"));
            JsonNode c = config.path("config");
            String user = c.path("User").asString();
            run(work.resolve(name + "-chown.log"), "chown", user, volume.toString());
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--propagation", "private",
                    "/bin/sh", "-c", ENTER, root.toString(), volume.toString(), user));
            cmd.addAll(strings(c.path("Entrypoint")));
            cmd.addAll(List.of(args)); // arguments replace the image's Cmd, as with `podman run image args…`
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(work.resolve(name + ".log").toFile());
            Map<String, String> environment = new LinkedHashMap<>();
            c.path("Env").forEach(e -> {
                String[] kv = e.asString().split("=", 2);
                environment.put(kv[0], kv[1]);
            });
            environment.putAll(env);
            pb.environment().clear();
            pb.environment().putAll(environment);
            Process p = pb.start();
            return new Container() {
                @Override
                public Path volume() {
                    return volume;
                }

                @Override
                public int uid() throws IOException {
                    // After the exec chain the process is the JVM itself.
                    return Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status")).stream()
                            .filter(l -> l.startsWith("Uid:")).map(l -> Integer.parseInt(l.split("\\s+")[1]))
                            .findFirst().orElse(-1);
                }

                @Override
                public void close() {
                    p.destroy(); // SIGTERM to the JVM: graceful shutdown
                    try {
                        if (!p.waitFor(20, TimeUnit.SECONDS)) {
                            p.destroyForcibly();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        p.destroyForcibly();
                    }
                }
            };
        }
    }
}
