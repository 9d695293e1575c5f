package io.skychat.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;

/**
 * The service as its own JVM ({@code java -jar target/skychat.jar}), for tests that kill it with SIGKILL
 * and start it again on the same ports and work directory.
 */
public final class NodeProcess implements AutoCloseable {

    private final List<String> flags;
    private final Path workDir;
    private final int httpPort;
    private Process process;
    private int starts;
    private int descriptorLimit;
    private List<String> jvmFlags = List.of("-XX:TieredStopAtLevel=1");
    private Duration startTimeout = Duration.ofSeconds(60);
    private int managementPort; // 0: any free port

    public NodeProcess(Path workDir, int httpPort, String... flags) {
        this.workDir = workDir;
        this.httpPort = httpPort;
        this.flags = List.of(flags);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the JVM under {@code ulimit -n limit}, as a host with a low descriptor limit would. */
    public NodeProcess withDescriptorLimit(int limit) {
        this.descriptorLimit = limit;
        return this;
    }

    /**
     * JVM options instead of the default {@code -XX:TieredStopAtLevel=1} (quick start for tests); the load
     * tool passes none, so its nodes run with the JVM's defaults as {@code bin/skychat} starts the server.
     */
    public NodeProcess withJvmFlags(String... flags) {
        this.jvmFlags = List.of(flags);
        return this;
    }

    /** Actuator on this port rather than any free one, so a caller can read its meters. */
    public NodeProcess withManagementPort(int port) {
        this.managementPort = port;
        return this;
    }

    /** The actuator's port as asked for with {@link #withManagementPort(int)} (0 when left to the node). */
    public int managementPort() {
        return managementPort;
    }

    /** How long {@link #start()} waits for the control surface (default 60 s); for runs on a busy machine. */
    public NodeProcess withStartTimeout(Duration timeout) {
        this.startTimeout = timeout;
        return this;
    }

    /** Starts the JVM and waits until its control surface answers. */
    public NodeProcess start() {
        List<String> cmd = new ArrayList<>();
        if (descriptorLimit > 0) {
            // The shell lowers the limit, then becomes the JVM: "$0" "$@" are the java command line below.
            cmd.addAll(List.of("sh", "-c", "ulimit -n " + descriptorLimit + " && exec \"$0\" \"$@\""));
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmFlags);
        cmd.add("-jar");
        cmd.add(Path.of("target", "skychat.jar").toAbsolutePath().toString());
        cmd.addAll(List.of("--addr", "127.0.0.1:" + httpPort, "--management-addr", "127.0.0.1:" + managementPort,
                "--work-dir", workDir.toString()));
        cmd.addAll(flags);
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve("node-" + (++starts) + ".log");
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + cmd, e);
        }
        await().atMost(startTimeout).ignoreExceptions()
                .until(() -> http().get().uri("/status").exchange().returnResult(Void.class).getStatus().is2xxSuccessful());
        return this;
    }

    /** SIGKILL: no shutdown hooks, no flush, like a crash or {@code kill -9}. */
    public void kill() {
        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
    }

    public WebTestClient http() {
        WebTestClient.Builder b = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + httpPort)
                .responseTimeout(Duration.ofSeconds(30));
        token().ifPresent(t -> b.defaultHeader("Authorization", "Bearer " + t));
        return b.build();
    }

    /** A client for the streaming routes, with this node's token. */
    public org.springframework.web.reactive.function.client.WebClient webClient() {
        var b = org.springframework.web.reactive.function.client.WebClient.builder().baseUrl(baseUrl());
        token().ifPresent(t -> b.defaultHeader("Authorization", "Bearer " + t));
        return b.build();
    }

    /** The token the node wrote into its work dir, once it has started. */
    public java.util.Optional<String> token() {
        Path file = workDir.resolve("api.token");
        if (!Files.isReadable(file)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Files.readString(file).strip());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JVM's process id, while it runs. */
    public long pid() {
        return process.pid();
    }

    public int httpPort() {
        return httpPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Stops it the polite way (SIGTERM: graceful shutdown), leaving it ready to {@link #start()} again. */
    public void stop() {
        close();
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
