package io.skychat;

import static io.skychat.support.Keys.ALICE_SK;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.skychat.support.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import reactor.test.StepVerifier;

/** Slow-loris style clients are cut off by the timeouts, while an SSE stream outlives all of them. */
class SlowClientIntegrationTests {

    @TempDir
    static Path work;
    static Node node;

    @BeforeAll
    static void start() {
        node = Node.start(work, "--standalone", "--sk", ALICE_SK, "--server.netty.idle-timeout=1s",
                "--skychat.limits.read-timeout=1s", "--skychat.limits.request-timeout=2s",
                "--skychat.sse.ping-interval=700ms");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void anSseStreamOutlivesEveryTimeout() {
        StepVerifier.create(node.webClient().get().uri("/sse").retrieve()
                        .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                        .map(ServerSentEvent::comment).take(6))
                .expectNext("connected", "ping", "ping", "ping", "ping", "ping") // ~3.5 s, past the 1 s and 2 s timeouts
                .expectComplete()
                .verify(Duration.ofSeconds(15));
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosed() throws Exception {
        assertThat(closedAfterSending("")).isTrue();
    }

    @Test
    void aRequestWhoseHeadersStallIsClosed() throws Exception {
        assertThat(closedAfterSending("GET /status HTTP/1.1\r\nHost: localhost\r\n")).isTrue();
    }

    @Test
    void aBodyThatStopsArrivingIsClosed() throws Exception {
        assertThat(closedAfterSending("POST /message HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + node.token() + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"recip")).isTrue();
    }

    /** Sends {@code text}, then nothing: true when the server closes the connection within a few seconds. */
    private static boolean closedAfterSending(String text) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
            socket.setSoTimeout(6_000);
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // a 408 or similar may come first; what matters is the close
                }
                return true;
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } catch (SocketException reset) {
                return true;
            }
        }
    }
}
