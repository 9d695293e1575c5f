package io.skychat.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The smallest HTTP/1.1 client the load tool needs: one kept-alive connection, one request at a time, written
 * in one system call, the answer read to its end (Content-Length or chunked). {@code java.net.http} costs
 * a few hundred microseconds of its own per exchange on this machine (its selector thread and executor hand
 * each answer over), which a latency target of one millisecond cannot ignore; this measures the service.
 */
final class KeepAliveHttp implements AutoCloseable {

    private final InetSocketAddress address;
    private final String host;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveHttp(InetSocketAddress address) {
        this.address = address;
        this.host = address.getHostString() + ":" + address.getPort();
    }

    /** One exchange; returns the status code (the body is read and dropped). Reconnects once if the server closed. */
    int exchange(String method, String path, String token, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[h.length + (body == null ? 0 : body.length)];
        System.arraycopy(h, 0, request, 0, h.length);
        if (body != null) {
            System.arraycopy(body, 0, request, h.length, body.length);
        }
        if (socket == null) {
            connect();
        }
        try {
            out.write(request);
            return answer();
        } catch (IOException first) { // a kept-alive connection the server closed meanwhile
            close();
            connect();
            out.write(request);
            return answer();
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 5000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    private int answer() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closing = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line().strip(), 16); size > 0; size = Long.parseLong(line().strip(), 16)) {
                skip(size);
                line();
            }
            line(); // the empty line after the last chunk
        } else if (length > 0) {
            skip(length);
        }
        if (closing) {
            close();
        }
        return code;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed inside a body");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed inside an answer");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing either way
            }
            socket = null;
        }
    }
}
