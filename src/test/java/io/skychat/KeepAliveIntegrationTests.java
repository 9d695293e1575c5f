package io.skychat;

import static io.skychat.support.Keys.ALICE_SK;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import io.skychat.support.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keep-alive connection goes on being read, whatever order its requests were answered in. A response
 * that completes off the connection's event loop (history comes from the store thread, a send from a
 * transport's loop) can reach the client before the server has finished with it, so the client's next
 * request arrives while the previous one is still being wound up and is queued; the connection must then
 * still read the request after it.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class KeepAliveIntegrationTests {

    private static final int ROUNDS = 40;

    @TempDir
    Path work;
    private Node node;

    @BeforeEach
    void start() {
        node = Node.start(work, "--standalone", "--sk", ALICE_SK);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aRequestAfterAQueuedOneIsAnswered() throws IOException {
        for (int round = 0; round < ROUNDS; round++) {
            try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
                socket.setSoTimeout(15_000); // far above any answer's time; a connection left unread never answers
                InputStream in = socket.getInputStream();
                // Two requests in one write: the first is answered from the store thread, the second is queued
                // behind it until the first has been wound up.
                write(socket, request("/history") + request("/status"));
                assertThat(readResponse(in)).as("round %d, /history", round).isEqualTo(200);
                assertThat(readResponse(in)).as("round %d, queued /status", round).isEqualTo(200);
                write(socket, request("/status"));
                assertThat(readResponse(in)).as("round %d, the request after the queue", round).isEqualTo(200);
            }
        }
    }

    private String request(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + node.token() + "\r\n\r\n";
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads one response with a Content-Length body; returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        int length = 0;
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].toLowerCase(Locale.ROOT);
            if (line.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        assertThat(in.readNBytes(length)).hasSize(length);
        return Integer.parseInt(lines[0].split(" ")[1]);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            assertThat(b).as("the server closed the connection").isNotNegative();
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
