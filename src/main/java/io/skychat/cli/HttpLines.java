package io.skychat.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A streaming HTTP body read line by line. Unlike the HTTP client's {@code InputStream}, a reader blocked
 * here wakes up when its thread is interrupted, and {@link #close()} cancels the exchange. One chunk is
 * requested at a time, so at most one chunk waits in the queue: the service's own buffer absorbs the rest.
 */
final class HttpLines implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final Deque<String> ready = new ArrayDeque<>();
    private volatile Flow.Subscription subscription;
    private boolean ended;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> chunk) {
        queue.add(chunk);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(t);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /** The next line without its terminator, or null at the end of the body. */
    String readLine() throws IOException, InterruptedException {
        while (ready.isEmpty()) {
            if (ended) {
                if (partial.size() == 0) {
                    return null;
                }
                ready.add(takePartial());
                break;
            }
            Object item = queue.take();
            if (item == END) {
                ended = true;
            } else if (item instanceof Throwable t) {
                throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
            } else {
                @SuppressWarnings("unchecked")
                List<ByteBuffer> chunk = (List<ByteBuffer>) item;
                for (ByteBuffer b : chunk) {
                    while (b.hasRemaining()) {
                        byte x = b.get();
                        if (x == '\n') {
                            ready.add(takePartial()); // '\n' never occurs inside a multi-byte UTF-8 sequence
                        } else {
                            partial.write(x);
                        }
                    }
                }
                subscription.request(1);
            }
        }
        return ready.poll();
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
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
