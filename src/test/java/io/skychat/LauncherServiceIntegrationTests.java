package io.skychat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import io.skychat.support.NodeProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/skychat starting the service: the cache entry it prepares on first use (the service's class-data
 * archive, BouncyCastle without signature files, SQLite's native library unpacked once), and a service
 * that runs from it without writing SQLite's library to the temporary directory.
 */
class LauncherServiceIntegrationTests {

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    @Test
    void theServiceStartsFromThePreparedCacheAndLeavesTheTemporaryDirectoryAlone(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("target/skychat.jar")), "the jar is built by `package`");
        Assumptions.assumeTrue(onPath("zip") && onPath("unzip"), "the launcher prepares libraries with zip and unzip");
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path work = dir.resolve("work");
        int port = NodeProcess.freePort();
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", "bin/skychat", "--standalone", "--addr", "127.0.0.1:" + port,
                "--management-addr", "127.0.0.1:0", "--work-dir", work.toString()));
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        pb.environment().put("SKYCHAT_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile());
        Process service = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            // the first start includes the training start that records the archive
            await().atMost(Duration.ofMinutes(4)).ignoreExceptions().until(() -> {
                assertThat(service.isAlive()).as("service log: %s", Files.readString(dir.resolve("service.log"))).isTrue();
                String token = Files.readString(work.resolve("api.token")).strip();
                HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                        .header("Authorization", "Bearer " + token).build();
                return http.send(status, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });

            Path entry;
            try (var entries = Files.list(cache.resolve("skychat"))) {
                entry = entries.findFirst().orElseThrow();
            }
            assertThat(entry.resolve("server.jsa")).exists();
            assertThat(entry.resolve("native/libsqlitejdbc.so")).isRegularFile();
            Path bouncyCastle;
            try (var libs = Files.list(entry.resolve("app/lib"))) {
                bouncyCastle = libs.filter(l -> l.getFileName().toString().startsWith("bcprov-")).findFirst().orElseThrow();
            }
            try (JarFile jar = new JarFile(bouncyCastle.toFile())) {
                assertThat(jar.stream().map(e -> e.getName()))
                        .noneMatch(n -> n.startsWith("META-INF/") && (n.endsWith(".SF") || n.endsWith(".RSA")))
                        .contains("org/bouncycastle/math/ec/custom/sec/SecP256K1Curve.class");
            }
            try (var written = Files.list(tmp)) {
                assertThat(written.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("sqlite"));
            }
        } finally {
            service.destroy();
            if (!service.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }
}
