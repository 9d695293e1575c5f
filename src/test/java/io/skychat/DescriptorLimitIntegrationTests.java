package io.skychat;

import static io.skychat.support.Keys.ALICE_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.skychat.support.NodeProcess;
import io.skychat.support.RawHttpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service in its own JVM under {@code ulimit -n 256}, asked for more streams and connections than it has
 * descriptors: it admits what its automatic caps allow, refuses the rest, keeps answering {@code /status},
 * never fails an accept, and forgets every client once they have gone. With the caps lifted, the outage they
 * prevent: accepts fail, and are counted.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
@EnabledOnOs(value = OS.LINUX, disabledReason = "lowers the limit with sh's ulimit and counts descriptors in /proc")
class DescriptorLimitIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int DESCRIPTORS = 256;
    private static final int CLIENTS = 320;
    private static final int BARE_CONNECTIONS = 200;

    @Test
    void atItsDescriptorLimitTheNodeRefusesStreamsAnswersStatusAndForgetsEveryClient(@TempDir Path work)
            throws Exception {
        List<RawHttpStream> clients = new ArrayList<>();
        try (NodeProcess node = new NodeProcess(work, NodeProcess.freePort(), "--standalone", "--sk", ALICE_SK)
                .withDescriptorLimit(DESCRIPTORS).start()) {
            String token = node.token().orElseThrow();
            int maxStreams = status(node).path("max_streams").asInt();
            assertThat(maxStreams).as("automatic --max-streams under ulimit -n %d", DESCRIPTORS)
                    .isBetween(16, DESCRIPTORS - 64);

            int admitted = 0;
            int refused = 0;
            int closedAtAccept = 0;
            for (int i = 0; i < CLIENTS; i++) {
                RawHttpStream client = RawHttpStream.get(node.httpPort(), "/sse", token);
                clients.add(client);
                int status = client.status();
                switch (status) {
                    case 200 -> admitted++;
                    case 503 -> refused++;
                    case RawHttpStream.CLOSED -> closedAtAccept++;
                    default -> throw new AssertionError("client " + i + " got " + status);
                }
            }
            assertThat(admitted).isEqualTo(maxStreams);
            assertThat(refused + closedAtAccept).isEqualTo(CLIENTS - maxStreams);

            JsonNode atTheLimit = status(node);
            assertThat(atTheLimit.path("sse_subscribers").asInt()).isEqualTo(maxStreams);
            assertThat(atTheLimit.path("stream_refused_count").asLong()).isEqualTo(refused);
            assertThat(atTheLimit.path("http_conn_refused_count").asLong()).isGreaterThanOrEqualTo(closedAtAccept);
            assertThat(atTheLimit.path("http_accept_error_count").asLong()).as("accepts that failed (EMFILE)").isZero();

            // Connections that never send a request are closed at accept once the HTTP cap is reached, rather
            // than take the last descriptors; with them gone, the control routes answer again.
            List<Socket> bare = new ArrayList<>();
            try {
                for (int i = 0; i < BARE_CONNECTIONS; i++) {
                    bare.add(new Socket("127.0.0.1", node.httpPort()));
                }
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> bare.stream().anyMatch(DescriptorLimitIntegrationTests::closedByServer));
            } finally {
                for (Socket socket : bare) {
                    socket.close();
                }
            }
            AtomicReference<JsonNode> answered = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> answered.set(status(node)));
            JsonNode afterBare = answered.get();
            assertThat(afterBare.path("http_conn_refused_count").asLong()).isGreaterThan(closedAtAccept);
            assertThat(afterBare.path("http_accept_error_count").asLong()).as("accepts that failed (EMFILE)").isZero();
            assertThat(afterBare.path("sse_subscribers").asInt()).isEqualTo(maxStreams);

            long closing = System.nanoTime();
            for (RawHttpStream client : clients) {
                client.close();
            }
            clients.clear();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode status = status(node);
                assertThat(status.path("sse_subscribers").asInt()).as("sse_subscribers").isZero();
                assertThat(status.path("open_streams").asInt()).as("open_streams").isZero();
            });
            System.out.printf("ulimit -n %d: %d streams admitted, %d refused with 503, %d closed at accept; "
                            + "%d of %d bare connections closed at accept; sse_subscribers back to 0 %d ms after "
                            + "the clients closed%n", DESCRIPTORS, admitted, refused, closedAtAccept,
                    afterBare.path("http_conn_refused_count").asLong() - closedAtAccept, BARE_CONNECTIONS,
                    (System.nanoTime() - closing) / 1_000_000);
            try (RawHttpStream again = RawHttpStream.get(node.httpPort(), "/sse", token)) {
                assertThat(again.status()).isEqualTo(200);
            }
        } finally {
            for (RawHttpStream client : clients) {
                client.close();
            }
        }
    }

    /**
     * The outage the caps prevent, with them lifted: descriptors run out, accepts fail and clients wait in the
     * kernel's queue. Failed accepts are counted, and once the clients have gone the node answers again
     * and keeps no stream of theirs, including those whose connection closed before it was served.
     */
    @Test
    void withTheCapsLiftedFailedAcceptsAreCountedAndNoStreamOutlivesItsClient(@TempDir Path work) throws Exception {
        List<RawHttpStream> clients = new ArrayList<>();
        try (NodeProcess node = new NodeProcess(work, NodeProcess.freePort(), "--standalone", "--sk", ALICE_SK,
                "--max-connections", "100000", "--max-streams", "100000").withDescriptorLimit(DESCRIPTORS).start()) {
            String token = node.token().orElseThrow();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(RawHttpStream.get(node.httpPort(), "/sse", token));
                }
                Path descriptors = Path.of("/proc", String.valueOf(node.pid()), "fd");
                await().atMost(Duration.ofSeconds(20)).until(() -> count(descriptors) >= DESCRIPTORS);
            } finally {
                for (int i = 0; i < clients.size(); i++) {
                    if (i % 2 == 0) {
                        clients.get(i).close(); // a FIN after the request: the server may read both at once
                    } else {
                        clients.get(i).reset();
                    }
                }
            }
            AtomicReference<JsonNode> answered = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> answered.set(status(node)));
            assertThat(answered.get().path("http_accept_error_count").asLong()).isPositive();
            long gone = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode status = status(node);
                assertThat(status.path("sse_subscribers").asInt()).as("sse_subscribers").isZero();
                assertThat(status.path("open_streams").asInt()).as("open_streams").isZero();
            });
            System.out.printf("ulimit -n %d without caps: %d failed accepts; sse_subscribers back to 0 %d ms after "
                            + "the node answered again%n", DESCRIPTORS,
                    answered.get().path("http_accept_error_count").asLong(), (System.nanoTime() - gone) / 1_000_000);
        }
    }

    private static long count(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.count();
        }
    }

    /** True when the server has closed this connection (a read sees the end of the stream or a reset). */
    private static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(1);
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static JsonNode status(NodeProcess node) {
        return JSON.readTree(node.http().get().uri("/status").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }
}
