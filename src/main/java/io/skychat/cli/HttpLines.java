package io.skychat.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A streaming HTTP body read line by line. A reader blocked here wakes up when its thread is interrupted (see
 * {@link PlainHttp}), and {@link #close()} ends the exchange by closing the connection.
 * Bytes are read as they come, so the service's own buffer absorbs whatever this reader has not taken yet.
 */
final class HttpLines implements AutoCloseable {

    private final InputStream body;
    private final byte[] buffer = new byte[8192];
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private int pos;
    private int limit;
    private boolean ended;

    HttpLines(InputStream body) {
        this.body = body;
    }

    /** The next line without its terminator, or null at the end of the body. */
    String readLine() throws IOException, InterruptedException {
        while (true) {
            while (pos < limit) {
                byte x = buffer[pos++];
                if (x == '\n') {
                    return takePartial(); // '\n' never occurs inside a multi-byte UTF-8 sequence
                }
                partial.write(x);
            }
            if (ended) {
                return partial.size() == 0 ? null : takePartial();
            }
            int n;
            try {
                n = body.read(buffer, 0, buffer.length);
            } catch (InterruptedIOException e) {
                if (e instanceof SocketTimeoutException) {
                    throw e;
                }
                Thread.interrupted(); // the exception below carries it, as blocking calls do
                throw new InterruptedException("interrupted while reading the stream");
            }
            if (n < 0) {
                ended = true;
            } else {
                pos = 0;
                limit = n;
            }
        }
    }

    /** Reads what is left, for the body of an error answer. */
    String readAll(int maxChars) throws IOException, InterruptedException {
        StringBuilder b = new StringBuilder();
        String line;
        while (b.length() < maxChars && (line = readLine()) != null) {
            b.append(line).append('\n');
        }
        return b.toString();
    }

    private String takePartial() {
        String s = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // closing a connection that already broke: nothing left to release
        }
    }
}
