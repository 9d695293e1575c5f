package io.skychat.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming request on a plain socket, for clients no HTTP library would play: ones that half-close,
 * stop reading, reset, or give up half way through the request.
 */
public final class RawHttpStream implements AutoCloseable {

    /** {@link #status()} when the server closed the connection before a status line. */
    public static final int CLOSED = -1;

    private final Socket socket;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private RawHttpStream(Socket socket) {
        this.socket = socket;
    }

    /** Connects and sends {@code GET path} with the bearer token (none when null). */
    public static RawHttpStream get(int port, String path, String token) throws IOException {
        return send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n");
    }

    /** Connects and sends {@code text} as it is, complete request or not. */
    public static RawHttpStream send(int port, String text) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        try {
            socket.setSoTimeout(30_000); // generous: a loaded build machine, not the node, is what it would measure
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new RawHttpStream(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Reads the status line and headers: the status code, or {@link #CLOSED}. */
    public int status() throws IOException {
        String head;
        try {
            head = readHead();
        } catch (SocketException reset) {
            return CLOSED;
        }
        if (head == null) {
            return CLOSED;
        }
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        return Integer.parseInt(lines[0].split(" ")[1]);
    }

    /** A response header read by {@link #status()}, by lower-case name. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Everything after the headers until the server closes the connection. */
    public String bodyToClose() throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Bytes the server sent that this client has not read. */
    public int unread() throws IOException {
        return socket.getInputStream().available();
    }

    /** No more requests from this side; the socket stays open for reading. */
    public void halfClose() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with a reset rather than a FIN. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readHead() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
