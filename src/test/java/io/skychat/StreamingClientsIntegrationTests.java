package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.skychat.support.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streaming clients misbehaving while messages flow: some cancel, some half-close, some stop reading.
 * Every control request must still be answered, every message acked, and nothing left behind.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class StreamingClientsIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;
    private Node alice;
    private Node bob;

    @AfterEach
    void stop() {
        if (bob != null) {
            bob.close();
        }
        if (alice != null) {
            alice.close();
        }
    }

    @Test
    void cancellingHalfClosingAndStalledStreamsHoldUpNothing() throws Exception {
        alice = Node.start(work.resolve("a"), "--standalone", "--sk", ALICE_SK, "--tcp-listen", "127.0.0.1:0");
        bob = Node.start(work.resolve("b"), "--standalone", "--sk", BOB_SK,
                "--tcp-peer", "tcp://" + ALICE_PK + "@127.0.0.1:" + alice.tcpPort());
        await().atMost(Duration.ofSeconds(20)).until(() -> status(alice).path("active_peer_conns").asInt() == 1);

        List<Disposable> cancelling = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // take a few events, then cancel mid-stream
            cancelling.add(bob.webClient().get().uri(i % 2 == 0 ? "/sse" : "/events").retrieve()
                    .bodyToFlux(String.class).take(3 + i).subscribe());
        }
        List<Socket> raw = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Socket s = new Socket("127.0.0.1", bob.httpPort());
            OutputStream out = s.getOutputStream();
            out.write(("GET " + (i % 2 == 0 ? "/sse" : "/events") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + bob.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (i < 4) {
                s.shutdownOutput(); // half-closed: it says no more, and never reads
            }
            raw.add(s); // the rest just stop reading
        }

        for (int i = 0; i < 150; i++) {
            JsonNode sent = JSON.readTree(alice.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("recipient", BOB_PK, "message", "flowing " + i + " " + "x".repeat(i * 20),
                            "wait_ms", 5000))
                    .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
            assertThat(sent.path("acked").asBoolean()).as("message %d acked", i).isTrue();
            if (i % 10 == 0) {
                assertThat(status(bob).path("inbound_msg_count").asLong()).isGreaterThan(i);
            }
        }

        cancelling.forEach(Disposable::dispose);
        for (Socket s : raw) {
            s.close();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> status(bob).path("sse_subscribers").asInt() == 0);
        assertThat(status(bob).path("inbound_msg_count").asLong()).isEqualTo(150);
    }

    @Test
    void aClientGoneRightAfterItsRequestIsForgottenWithoutWaitingForAWrite() throws Exception {
        // No pings for an hour: only reading the connection can tell the server that a client has gone.
        alice = Node.start(work.resolve("a"), "--standalone", "--sk", ALICE_SK, "--skychat.sse.ping-interval=1h");
        for (int i = 0; i < 40; i++) {
            io.skychat.support.RawHttpStream stream = io.skychat.support.RawHttpStream.get(alice.httpPort(),
                    i % 2 == 0 ? "/sse" : "/events", alice.token());
            if (i % 4 < 2) {
                assertThat(stream.status()).isEqualTo(200); // the stream started, then the client leaves
            }
            if (i % 2 == 0) {
                stream.close();
            } else {
                stream.reset();
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode status = status(alice);
            assertThat(status.path("sse_subscribers").asInt()).as("sse_subscribers").isZero();
            assertThat(status.path("open_streams").asInt()).as("open_streams").isZero();
        });
    }

    private static JsonNode status(Node node) {
        return JSON.readTree(node.http().get().uri("/status").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }
}
