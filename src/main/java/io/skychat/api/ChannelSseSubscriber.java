package io.skychat.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContentEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.skychat.core.EventHub;
import io.skychat.core.Published;

/**
 * One {@code /sse} stream written straight to its connection from the connection's event loop, once its
 * headers, seed and {@code : connected} are out, with no reactive operators between the hub and the socket.
 * On an HTTP/1.1 chunked response (the usual case) each event goes out as the chunk the hub rendered once
 * into a shared direct buffer ({@link #CHUNK}), written below the HTTP encoder, so a delivery costs a
 * duplicate of that buffer and nothing else: no per-stream encoding, copy or promise. Any other response
 * (no HTTP/1.1 codec on the connection, or not chunked) writes the plain frame through the whole pipeline.
 * Deliveries are flushed once per batch of the hub ({@link #endOfBatch}), so a loop that fell behind
 * catches up with one write to the socket per stream, not one per event.
 *
 * <p>Bounded like every subscriber: while the connection is not writable (the client reads slower than
 * events come) frames wait in a queue of {@value EventHub#SUBSCRIBER_BUFFER}; past that the event is dropped
 * for this client (counted by the hub) and a ping simply skipped, so a stalled client holds a bounded amount
 * of memory and nobody else waits for it.
 */
final class ChannelSseSubscriber implements EventHub.Subscriber {

    private static final long RETRY_MILLIS = 50;

    /** The frame as one HTTP/1.1 chunk, in a buffer every stream writes a duplicate of. */
    static final Published.Format<ByteBuf> CHUNK = new Published.Format<>("sse-chunk",
            event -> SseChunks.shared(SseChunks.chunk(frame(event))));
    /** The plain frame, shared the same way, for a response the HTTP encoder frames itself. */
    static final Published.Format<ByteBuf> PLAIN = new Published.Format<>("sse-frame-direct",
            event -> SseChunks.shared(frame(event)));
    private static final ByteBuf PING_CHUNK = SseChunks.shared(SseChunks.chunk(SseSubscriber.PING));
    private static final ByteBuf PING_PLAIN = SseChunks.shared(SseSubscriber.PING);

    private final Channel channel;
    /** Where frames are written: the HTTP encoder's context (they are chunks already) or the channel. */
    private final ChannelOutboundInvoker out;
    private final Published.Format<ByteBuf> format;
    private final ByteBuf ping;
    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>(); // event loop only
    private boolean unflushed; // event loop only
    private boolean drainScheduled; // event loop only
    private boolean wroteSinceBeat; // event loop only

    private ChannelSseSubscriber(Channel channel, ChannelOutboundInvoker out, Published.Format<ByteBuf> format,
                                 ByteBuf ping) {
        this.channel = channel;
        this.out = out;
        this.format = format;
        this.ping = ping;
    }

    /**
     * A stream on {@code channel}, whose response body is sent in HTTP/1.1 chunks when {@code chunked}. Chunks
     * are written below the encoder only when nothing between it and the application transforms the body
     * (a content encoder, say), since that would be skipped too.
     */
    static ChannelSseSubscriber on(Channel channel, boolean chunked) {
        ChannelHandlerContext codec = chunked && channel.pipeline().get(HttpContentEncoder.class) == null
                ? channel.pipeline().context(HttpServerCodec.class) : null;
        return codec != null
                ? new ChannelSseSubscriber(channel, codec, CHUNK, PING_CHUNK)
                : new ChannelSseSubscriber(channel, channel, PLAIN, PING_PLAIN);
    }

    /** Whether frames go out pre-chunked, below the HTTP encoder (for tests). */
    boolean writesChunks() {
        return format == CHUNK;
    }

    private static byte[] frame(io.skychat.core.ChatEvent event) {
        return StreamController.frame(event).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Executor executor() {
        return channel.eventLoop();
    }

    @Override
    public Published.Format<?> format() {
        return format;
    }

    /** The replay is bounded by the hub's window, so it is written whole, then flushed once. */
    @Override
    public void start(List<Published> backlog) {
        if (backlog.isEmpty() || !channel.isActive()) {
            return;
        }
        for (Published p : backlog) {
            write(p.rendered(format));
        }
        flush();
    }

    @Override
    public boolean deliver(Published event) {
        wroteSinceBeat = true;
        ByteBuf frame = event.rendered(format);
        if (!channel.isActive()) {
            waiting.clear();
            return true; // the stream is ending: nothing more to deliver, nothing dropped
        }
        if (waiting.isEmpty() && channel.isWritable()) {
            write(frame);
            return true;
        }
        if (waiting.size() >= EventHub.SUBSCRIBER_BUFFER) {
            return false;
        }
        waiting.addLast(frame);
        drainWhenWritten();
        return true;
    }

    @Override
    public void endOfBatch() {
        flush();
    }

    /** A ping only to a stream that has been quiet for a beat, and only when it would not have to wait. */
    @Override
    public void heartbeat() {
        if (!wroteSinceBeat && waiting.isEmpty() && channel.isActive() && channel.isWritable()) {
            write(ping);
            flush();
        }
        wroteSinceBeat = false;
    }

    /**
     * Queues a duplicate of the shared frame. No promise: nothing waits on this write, and a connection that
     * fails ends the stream through its close, which is watched elsewhere.
     */
    private void write(ByteBuf shared) {
        out.write(shared.duplicate(), channel.unsafe().voidPromise());
        unflushed = true;
    }

    private void flush() {
        if (unflushed) {
            unflushed = false;
            out.flush();
        }
    }

    /**
     * Once what was written so far has reached the socket, writes what waits (the listener runs on the event
     * loop). The moment is marked by an empty write with a promise, queued behind the rest: only a stream
     * that fell behind pays for one.
     */
    private void drainWhenWritten() {
        if (drainScheduled) {
            return;
        }
        drainScheduled = true;
        ChannelPromise written = out.newPromise();
        written.addListener(done -> {
            drainScheduled = false;
            drain();
        });
        out.write(Unpooled.EMPTY_BUFFER, written);
        unflushed = true;
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
        if (!waiting.isEmpty()) {
            if (wrote) {
                drainWhenWritten();
            } else {
                // Still not writable with all of ours written: what holds it was written by someone else (its
                // seed, before this stream went live). Look again shortly rather than spin on done futures.
                drainScheduled = true;
                channel.eventLoop().schedule(() -> {
                    drainScheduled = false;
                    drain();
                }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        flush();
    }
}
