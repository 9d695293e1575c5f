package io.skychat.api;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.skychat.core.EventHub;
import io.skychat.core.Published;

/**
 * One {@code /sse} stream written straight to its connection from the connection's event loop, once its
 * headers, seed and {@code : connected} are out: the frame the hub rendered once is wrapped (not copied)
 * and written with one flush, with no reactive operators between the hub and the socket.
 *
 * <p>Bounded like every subscriber: while the connection is not writable (the client reads slower than
 * events come) frames wait in a queue of {@value EventHub#SUBSCRIBER_BUFFER}; past that the event is dropped
 * for this client (counted by the hub) and a ping simply skipped, so a stalled client holds a bounded amount
 * of memory and nobody else waits for it.
 */
final class ChannelSseSubscriber implements EventHub.Subscriber {

    private static final long RETRY_MILLIS = 50;

    private final Channel channel;
    private final ArrayDeque<byte[]> waiting = new ArrayDeque<>(); // event loop only
    private ChannelFuture lastWrite; // event loop only
    private boolean drainScheduled; // event loop only
    private boolean wroteSinceBeat; // event loop only

    ChannelSseSubscriber(Channel channel) {
        this.channel = channel;
    }

    @Override
    public Executor executor() {
        return channel.eventLoop();
    }

    @Override
    public Published.Format<?> format() {
        return SseSubscriber.FRAME;
    }

    /** The replay is bounded by the hub's window, so it is written whole, then flushed once. */
    @Override
    public void start(List<Published> backlog) {
        if (backlog.isEmpty() || !channel.isActive()) {
            return;
        }
        for (Published p : backlog) {
            write(p.rendered(SseSubscriber.FRAME));
        }
        channel.flush();
    }

    @Override
    public boolean deliver(Published event) {
        wroteSinceBeat = true;
        return offer(event.rendered(SseSubscriber.FRAME));
    }

    /** A ping only to a stream that has been quiet for a beat, and only when it would not have to wait. */
    @Override
    public void heartbeat() {
        if (!wroteSinceBeat && waiting.isEmpty() && channel.isActive() && channel.isWritable()) {
            write(SseSubscriber.PING);
            channel.flush();
        }
        wroteSinceBeat = false;
    }

    /** False when the frame is dropped because the queue is full. */
    private boolean offer(byte[] frame) {
        if (!channel.isActive()) {
            waiting.clear();
            return true; // the stream is ending: nothing more to deliver, nothing dropped
        }
        if (waiting.isEmpty() && channel.isWritable()) {
            write(frame);
            channel.flush();
            return true;
        }
        if (waiting.size() >= EventHub.SUBSCRIBER_BUFFER) {
            return false;
        }
        waiting.addLast(frame);
        drainWhenWritten();
        return true;
    }

    private void write(byte[] frame) {
        lastWrite = channel.write(Unpooled.wrappedBuffer(frame));
    }

    /** Once the last write has reached the socket, writes what waits (the listener runs on the event loop). */
    private void drainWhenWritten() {
        if (drainScheduled) {
            return;
        }
        drainScheduled = true;
        if (lastWrite == null) {
            lastWrite = channel.newSucceededFuture();
        }
        lastWrite.addListener(written -> {
            drainScheduled = false;
            drain();
        });
    }

    private void drain() {
        if (!channel.isActive()) {
            waiting.clear();
            return;
        }
        boolean wrote = false;
        while (!waiting.isEmpty() && channel.isWritable()) {
            write(waiting.pollFirst());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
        if (!waiting.isEmpty()) {
            if (wrote) {
                drainWhenWritten();
            } else {
                // What keeps it unwritable was written before this stream went live (its seed): look again
                // shortly rather than spin on a future that is already done.
                drainScheduled = true;
                channel.eventLoop().schedule(() -> {
                    drainScheduled = false;
                    drain();
                }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }
}
