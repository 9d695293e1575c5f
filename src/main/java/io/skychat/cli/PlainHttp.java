package io.skychat.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 request per connection over a plain blocking socket: what a verb needs and no more. It starts in
 * a few milliseconds where {@code java.net.http} first sets up TLS, a selector thread and its executor.
 * Reads wait in short slices, so a thread blocked on the service notices an interrupt within {@link #SLICE}
 * and leaves with an {@link InterruptedIOException} (that is not a {@link SocketTimeoutException}).
 */
final class PlainHttp {

    private static final int MAX_HEAD = 64 * 1024;
    static final Duration SLICE = Duration.ofMillis(200);

    /** Status, headers (names in lower case) and the body, already de-chunked; closing the body closes the socket. */
    record Answer(int status, Map<String, String> headers, InputStream body) {

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    /** The connect itself took longer than allowed (as opposed to waiting for the answer). */
    static final class ConnectTimeoutException extends IOException {
        ConnectTimeoutException(String message) {
            super(message);
        }
    }

    private PlainHttp() {
    }

    /**
     * Sends the request and reads the answer's head. {@code readTimeout} bounds every wait for bytes from
     * the service (zero: no bound, for streams).
     */
    static Answer exchange(URI uri, String method, Map<String, String> headers, byte[] body,
                           Duration connectTimeout, Duration readTimeout) throws IOException {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        InetAddress address = InetAddress.getByName(uri.getHost());
        Socket socket = new Socket();
        try {
            try {
                socket.connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
            } catch (SocketTimeoutException e) {
                throw new ConnectTimeoutException("connect timed out");
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) SLICE.toMillis());
            if (tls) {
                socket = ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, uri.getHost(), port, true);
            }
            OutputStream out = socket.getOutputStream();
            out.write(head(uri, method, headers, body).getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = new BufferedInputStream(new Sliced(socket.getInputStream(), readTimeout), 8192);
            int status = statusLine(readLine(in));
            Map<String, String> answerHeaders = new LinkedHashMap<>();
            int size = 0;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                size += line.length();
                if (size > MAX_HEAD) {
                    throw new IOException("answer head too long");
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    answerHeaders.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
                }
            }
            return new Answer(status, answerHeaders, body(in, answerHeaders, method, status, socket));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String head(URI uri, String method, Map<String, String> headers, byte[] body) {
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder b = new StringBuilder(256);
        b.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        b.append("Host: ").append(uri.getRawAuthority()).append("\r\n");
        b.append("User-Agent: skychat-cli\r\n");
        b.append("Connection: close\r\n");
        headers.forEach((name, value) -> b.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            b.append("Content-Length: ").append(body.length).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    private static int statusLine(String line) throws IOException {
        // HTTP/1.1 200 OK
        int sp = line.indexOf(' ');
        if (!line.startsWith("HTTP/") || sp < 0 || line.length() < sp + 4) {
            throw new IOException("not an HTTP answer");
        }
        try {
            return Integer.parseInt(line.substring(sp + 1, sp + 4));
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP answer");
        }
    }

    private static InputStream body(InputStream in, Map<String, String> headers, String method, int status,
                                    Socket socket) {
        InputStream raw;
        if (method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
            raw = InputStream.nullInputStream();
        } else if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            raw = new Chunked(in);
        } else if (headers.containsKey("content-length")) {
            raw = new Limited(in, Long.parseLong(headers.get("content-length").strip()));
        } else {
            raw = in; // to the end of the connection
        }
        return new FilterInputStream(raw) {
            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    /** One line of the head, CRLF (or LF) stripped; ISO-8859-1 as HTTP heads are. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed by the service");
            }
            if (b.size() > MAX_HEAD) {
                throw new IOException("answer line too long");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads the whole body as UTF-8 and closes it. */
    static String text(InputStream body) throws IOException {
        try (body) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits for bytes one {@link #SLICE} at a time, checking for an interrupt in between; gives up with a
     * {@link SocketTimeoutException} after {@code timeout} without a byte (zero: never).
     */
    private static final class Sliced extends InputStream {
        private final InputStream in;
        private final long timeoutNanos;

        Sliced(InputStream in, Duration timeout) {
            this.in = in;
            this.timeoutNanos = timeout.toNanos();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long started = System.nanoTime();
            while (true) {
                try {
                    return in.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("interrupted");
                    }
                    if (timeoutNanos > 0 && System.nanoTime() - started >= timeoutNanos) {
                        throw new SocketTimeoutException("read timed out");
                    }
                }
            }
        }
    }

    /** A body of known length. */
    private static final class Limited extends InputStream {
        private final InputStream in;
        private long left;

        Limited(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("answer ended early");
            }
            left -= n;
            return n;
        }
    }

    /** {@code Transfer-Encoding: chunked}: size line, data, CRLF, …, a zero-size chunk and trailers. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = readLine(in);
                int semi = size.indexOf(';');
                try {
                    left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size \"" + size + "\"");
                }
                if (left == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers: nothing the CLI reads
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("answer ended inside a chunk");
            }
            left -= n;
            if (left == 0) {
                readLine(in); // the CRLF after the chunk's data
            }
            return n;
        }
    }
}
