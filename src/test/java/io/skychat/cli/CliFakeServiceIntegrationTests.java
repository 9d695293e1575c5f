package io.skychat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.skychat.support.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a scripted HTTP server: the answers a real service gives only when something is wrong. */
class CliFakeServiceIntegrationTests {

    @TempDir
    Path home;
    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private String addr() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static void answer(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void aDownServiceIsOneLineAndExitCode3() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CliRunner.Result r = new CliRunner(home).run("status", "--addr", "127.0.0.1:" + closed);
        assertThat(r.exit()).isEqualTo(Cli.UNREACHABLE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("skychat status: cannot reach skychat at 127.0.0.1:" + closed + ": connection refused\n");
    }

    @Test
    void theTokenIsSentAsABearerAndARefusalIsExitCode4() {
        AtomicReference<String> seen = new AtomicReference<>();
        server.createContext("/status", ex -> {
            seen.set(ex.getRequestHeaders().getFirst("Authorization"));
            answer(ex, 401, "application/problem+json",
                    "{\"type\":\"urn:skychat:unauthorized\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"bad token\"}");
        });
        CliRunner.Result r = new CliRunner(home).env("SKYCHAT_TOKEN", "s3cret").run("status", "--addr", addr());
        assertThat(seen.get()).isEqualTo("Bearer s3cret");
        assertThat(r.exit()).isEqualTo(Cli.AUTH);
        assertThat(r.err()).isEqualTo("skychat status: authentication failed (HTTP 401): bad token"
                + " (set --token, SKYCHAT_TOKEN or --token-file)\n");

        new CliRunner(home).run("status", "--addr", addr());
        assertThat(seen.get()).as("no token anywhere: no header").isNull();
    }

    @Test
    void transportFailuresAreRetriedWithBackoffButAMissingAckIsNot() {
        AtomicInteger posts = new AtomicInteger();
        server.createContext("/message", ex -> {
            ex.getRequestBody().readAllBytes();
            posts.incrementAndGet();
            answer(ex, 502, "application/problem+json", "{\"type\":\"urn:skychat:peer-unreachable\",\"status\":502,"
                    + "\"detail\":\"cannot reach the peer over tcp-direct: timed out\"}");
        });
        CliRunner.Result r = new CliRunner(home).run("send", "--addr", addr(), "-t", Keys.BOB_PK, "-m", "hi", "-r", "2");
        assertThat(posts.get()).isEqualTo(3);
        assertThat(r.exit()).isEqualTo(Cli.FAILED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("retrying in 500ms (1/2)").contains("retrying in 1000ms (2/2)")
                .endsWith("skychat send: cannot reach the peer over tcp-direct: timed out\n");
    }

    @Test
    void aMissingAckIsReportedOnceAndExits1() {
        AtomicInteger posts = new AtomicInteger();
        AtomicReference<String> body = new AtomicReference<>();
        server.createContext("/message", ex -> {
            body.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            posts.incrementAndGet();
            answer(ex, 504, "application/json",
                    "{\"acked\":false,\"id\":\"8077ca12ee05c806\",\"reason\":\"timeout\",\"ms\":1000,\"network\":\"dmsg\"}");
        });
        CliRunner.Result r = new CliRunner(home).run("send", "--addr", addr(), "-t", Keys.BOB_PK, "-m", "hi", "-w", "1s", "-r", "3");
        assertThat(posts.get()).isEqualTo(1);
        assertThat(body.get()).contains("\"wait_ms\":1000").doesNotContain("null");
        assertThat(r.exit()).isEqualTo(Cli.FAILED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("send to " + Keys.BOB_PK + " via dmsg not acked: timeout (id=8077ca12ee05c806)\n");
    }

    @Test
    void fireAndForgetSendsNoWait() {
        AtomicReference<String> body = new AtomicReference<>();
        server.createContext("/message", ex -> {
            body.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(ex, 200, "application/json", "{\"id\":\"8077ca12ee05c806\",\"network\":\"skynet\"}");
        });
        CliRunner.Result r = new CliRunner(home).run("send", "--addr", addr(), "-t", Keys.BOB_PK, "-m", "hi", "-w", "0", "-n", "skynet");
        assertThat(r.exit()).isZero();
        assertThat(body.get()).doesNotContain("wait_ms").contains("\"network\":\"skynet\"");
        assertThat(r.out()).isEqualTo("Message sent to " + Keys.BOB_PK + " via skynet\n");
    }

    @Test
    void listenResumesWithLastEventIdAndNeverPrintsAMessageTwice() throws Exception {
        List<String> lastEventIds = new CopyOnWriteArrayList<>();
        AtomicInteger connections = new AtomicInteger();
        server.createContext("/sse", ex -> {
            lastEventIds.add(String.valueOf(ex.getRequestHeaders().getFirst("Last-Event-ID")));
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
                out.write(event("1111111111111111", "one"));
                out.write(event("2222222222222222", "two"));
                if (connections.incrementAndGet() == 1) {
                    return; // the service goes away after two messages
                }
                out.write(event("3333333333333333", "three")); // after replaying what the client already has
                out.flush();
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicReference<CliRunner.Result> result = new AtomicReference<>();
        Thread listener = new Thread(() -> result.set(new CliRunner(home).run(out, "listen", "--addr", addr(), "--raw")));
        listener.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString(StandardCharsets.UTF_8).contains("three"));
        listener.interrupt();
        listener.join(10_000);
        assertThat(listener.isAlive()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo\nthree\n");
        assertThat(lastEventIds).startsWith("null", "2222222222222222");
        assertThat(result.get().exit()).isZero();
        assertThat(result.get().err()).contains("stream closed by the service (reconnecting in 1s)");
    }

    private static byte[] event(String id, String message) {
        return ("id: " + id + "\ndata: {\"dir\":\"in\",\"id\":\"" + id + "\",\"len\":3,\"message\":\"" + message
                + "\",\"network\":\"dmsg\",\"sender\":\"" + Keys.ALICE_PK + "\"}\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
