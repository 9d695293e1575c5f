package io.skychat;

import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.skychat.support.Node;
import io.skychat.support.RawHttpStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stream cap ({@code --max-streams}): streams over it are refused at once with a problem the client can
 * act on, control routes keep answering, and however a client goes away its stream and its slot go with it.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class StreamLimitsIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_STREAMS = 3;
    private static final int MAX_CONNECTIONS = 12;

    @TempDir
    static Path work;
    /**
     * At most three streams and twelve connections, pinging every 100 ms so a client that stops reading soon
     * has bytes unread.
     */
    static Node capped;
    /** Automatic caps, for many clients at once. */
    static Node roomy;

    @BeforeAll
    static void start() {
        capped = Node.start(work.resolve("capped"), "--standalone", "--sk", ALICE_SK,
                "--max-streams", String.valueOf(MAX_STREAMS), "--max-connections", String.valueOf(MAX_CONNECTIONS),
                "--skychat.sse.ping-interval=100ms");
        roomy = Node.start(work.resolve("roomy"), "--standalone", "--sk", BOB_SK);
    }

    @AfterAll
    static void stop() {
        if (capped != null) {
            capped.close();
        }
        if (roomy != null) {
            roomy.close();
        }
    }

    @AfterEach
    void everyStreamIsGone() {
        awaitNoStreams(capped);
    }

    @Test
    void aStreamOverTheCapIsRefusedWhileControlRoutesAnswer() throws Exception {
        long refusedBefore = status(capped).path("stream_refused_count").asLong();
        try (RawHttpStream first = sse(capped); RawHttpStream second = sse(capped);
             RawHttpStream third = RawHttpStream.get(capped.httpPort(), "/events", capped.token())) {
            assertThat(List.of(first.status(), second.status(), third.status())).containsOnly(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> status(capped).path("open_streams").asInt() == MAX_STREAMS);

            assertTooManyStreams(capped.http().get().uri("/sse").accept(MediaType.TEXT_EVENT_STREAM).exchange());
            assertTooManyStreams(capped.http().get().uri("/events").exchange());

            JsonNode status = status(capped);
            assertThat(status.path("sse_subscribers").asInt()).isEqualTo(2);
            assertThat(status.path("max_streams").asInt()).isEqualTo(MAX_STREAMS);
            assertThat(status.path("stream_refused_count").asLong()).isEqualTo(refusedBefore + 2);
            capped.http().get().uri("/history/peers").exchange().expectStatus().isOk();
            capped.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"recipient\":\"not-a-key\",\"message\":\"hi\"}").exchange().expectStatus().isBadRequest();
            String metrics = capped.anonymousHttp().mutate().baseUrl(capped.managementUrl()).build()
                    .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(metrics).contains("skychat_streams_refused_total " + (double) (refusedBefore + 2))
                    .contains("skychat_streams_open " + (double) MAX_STREAMS);
        }
        awaitNoStreams(capped);
        assertAStreamIsAdmitted(capped);
    }

    @Test
    void connectionsOverTheCapAreClosedAtAcceptAndTheRestStillAnswer() throws Exception {
        long refusedBefore = status(capped).path("http_conn_refused_count").asLong();
        List<Socket> bare = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS + 4; i++) {
                bare.add(new Socket("127.0.0.1", capped.httpPort()));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> bare.stream().filter(StreamLimitsIntegrationTests::closedByServer).count() >= 4);
        } finally {
            for (Socket socket : bare) {
                socket.close();
            }
        }
        AtomicReference<JsonNode> answered = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> answered.set(status(capped)));
        assertThat(answered.get().path("http_conn_refused_count").asLong()).isGreaterThanOrEqualTo(refusedBefore + 4);
        assertThat(answered.get().path("http_accept_error_count").asLong()).isZero();
        assertAStreamIsAdmitted(capped);
    }

    @Test
    void aCancelledStreamFreesItsSlot() {
        AtomicReference<String> firstComment = new AtomicReference<>();
        Disposable stream = capped.webClient().get().uri("/sse").retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .subscribe(e -> firstComment.compareAndSet(null, e.comment()));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> "connected".equals(firstComment.get()));
            assertThat(status(capped).path("sse_subscribers").asInt()).isEqualTo(1);
        } finally {
            stream.dispose();
        }
        awaitNoStreams(capped);
        assertAStreamIsAdmitted(capped);
    }

    @Test
    void aClientThatHalfClosesIsGone() throws Exception {
        try (RawHttpStream stream = sse(capped)) {
            assertThat(stream.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> status(capped).path("sse_subscribers").asInt() == 1);
            stream.halfClose(); // no more requests: the stream ends although the socket could still read
            awaitNoStreams(capped);
        }
        assertAStreamIsAdmitted(capped);
    }

    @Test
    void aClientThatStopsReadingFreesItsSlotWhenItGoes() throws Exception {
        try (RawHttpStream stream = sse(capped)) {
            assertThat(stream.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.unread() > 40); // ": connected", pings
            assertThat(status(capped).path("sse_subscribers").asInt()).isEqualTo(1);
        } // closed with bytes unread: the kernel resets the connection
        awaitNoStreams(capped);
        assertAStreamIsAdmitted(capped);
    }

    @Test
    void connectionsThatGiveUpAtOnceLeaveNoSubscriberBehind() throws Exception {
        int port = roomy.httpPort();
        String token = roomy.token();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 800; i++) {
                int kind = i % 5;
                String path = i % 2 == 0 ? "/sse" : "/events?since=0";
                results.add(clients.submit(() -> giveUp(kind, port, path, token)));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isIn(200, RawHttpStream.CLOSED);
            }
        } finally {
            clients.shutdownNow();
        }
        awaitNoStreams(roomy);
        assertThat(status(roomy).path("stream_refused_count").asLong()).isZero();
        assertAStreamIsAdmitted(roomy);
    }

    /** One client that leaves early, in one of five ways; returns the status it saw (200, or closed). */
    private static int giveUp(int kind, int port, String path, String token) throws IOException {
        switch (kind) {
            case 0 -> { // half a request line
                RawHttpStream.send(port, "GET " + path + " HT").close();
                return RawHttpStream.CLOSED;
            }
            case 1 -> { // headers cut off before the token is sent
                RawHttpStream.send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthoriz").reset();
                return RawHttpStream.CLOSED;
            }
            case 2 -> { // a whole request, then gone before any answer
                RawHttpStream.get(port, path, token).close();
                return RawHttpStream.CLOSED;
            }
            case 3 -> { // a whole request, then reset before any answer
                RawHttpStream.get(port, path, token).reset();
                return RawHttpStream.CLOSED;
            }
            default -> { // the stream started, then reset
                RawHttpStream stream = RawHttpStream.get(port, path, token);
                int status = stream.status();
                stream.reset();
                return status;
            }
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

    private static RawHttpStream sse(Node node) throws IOException {
        return RawHttpStream.get(node.httpPort(), "/sse", node.token());
    }

    private static void assertTooManyStreams(WebTestClient.ResponseSpec response) {
        String body = response.expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.path("type").asString()).isEqualTo("urn:skychat:too-many-streams");
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("detail").asString()).contains("--max-streams").contains(String.valueOf(MAX_STREAMS));
    }

    private static void assertAStreamIsAdmitted(Node node) {
        try (RawHttpStream stream = sse(node)) {
            assertThat(stream.status()).isEqualTo(200);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitNoStreams(Node node) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode status = status(node);
            assertThat(status.path("sse_subscribers").asInt()).as("sse_subscribers").isZero();
            assertThat(status.path("open_streams").asInt()).as("open_streams").isZero();
        });
    }

    private static JsonNode status(Node node) {
        return JSON.readTree(node.http().get().uri("/status").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }
}
