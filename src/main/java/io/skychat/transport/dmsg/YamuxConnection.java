package io.skychat.transport.dmsg;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a {@link YamuxSession} on a channel: bytes in, the session's actions carried out, streams handed to
 * their owners. Everything here runs on the channel's event loop; callers from elsewhere hop onto it. Sends
 * keepalive pings and closes the session when a pong is late, as upstream's keepalive does.
 */
final class YamuxConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(YamuxConnection.class);

    /** What the session owner hears about. */
    interface Events {
        /** The peer opened a stream; it is already accepted. */
        void incoming(Stream stream);

        /** The session ended; {@code reason} says why, for the log. */
        void closed(String reason, YamuxException cause);
    }

    /** What a stream owner hears about. All calls come on the event loop. */
    interface StreamHandler {
        void data(Stream stream, byte[] data);

        /** The peer half-closed (FIN). */
        void remoteClosed(Stream stream);

        /** The stream is gone: reset, closed on both sides, or the session ended. */
        void gone(Stream stream, String why);
    }

    private record PendingWrite(byte[] data, int[] offset, Promise<Void> promise) {
    }

    /** One yamux stream; methods must be called on the event loop. */
    final class Stream {
        private final long id;
        private final ArrayDeque<PendingWrite> pending = new ArrayDeque<>();
        private StreamHandler handler;
        private boolean gone;

        private Stream(long id) {
            this.id = id;
        }

        long id() {
            return id;
        }

        EventLoop eventLoop() {
            return channel.eventLoop();
        }

        YamuxConnection connection() {
            return YamuxConnection.this;
        }

        void handler(StreamHandler h) {
            this.handler = h;
        }

        boolean isGone() {
            return gone;
        }

        /** Queues {@code data}; the promise completes once the last of it was written to the connection. */
        Promise<Void> write(byte[] data) {
            Promise<Void> p = channel.eventLoop().newPromise();
            if (gone || session.isClosed()) {
                p.setFailure(new ClosedChannelException());
                return p;
            }
            pending.add(new PendingWrite(data, new int[1], p));
            flush(this);
            return p;
        }

        /** The owner took {@code n} delivered bytes: grant the window back as upstream would. */
        void consumed(long n) {
            if (gone || session.isClosed() || n == 0) {
                return;
            }
            byte[] update = session.consumed(id, n);
            if (update.length > 0) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(update));
            }
        }

        /** Half-closes our side (FIN). */
        void close() {
            if (gone || session.isClosed()) {
                return;
            }
            byte[] fin = session.close(id);
            if (fin.length > 0) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(fin));
            }
            if (!session.isOpen(id)) {
                forget(this, "closed");
            } else {
                // Upstream's StreamCloseTimeout: a peer that never answers our FIN gets a reset.
                ctx.executor().schedule(() -> {
                    if (!gone && !session.isClosed() && session.isOpen(id)) {
                        reset();
                    }
                }, config.streamCloseTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** Drops the stream at once (RST). */
        void reset() {
            if (gone || session.isClosed()) {
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(session.reset(id)));
            forget(this, "reset locally");
        }

        @Override
        public String toString() {
            return "yamux stream " + id + " on " + channel.remoteAddress();
        }
    }

    private final YamuxSession session;
    private final YamuxConfig config;
    private final Events events;
    private final Map<Long, Stream> streams = new HashMap<>();
    private ChannelHandlerContext ctx;
    private Channel channel;
    private ScheduledFuture<?> keepalive;
    private long pingSentAt = -1;
    private boolean ended;

    YamuxConnection(YamuxSession session, YamuxConfig config, Events events) {
        this.session = session;
        this.config = config;
        this.events = events;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        long every = config.keepAliveInterval().toMillis();
        keepalive = ctx.executor().scheduleAtFixedRate(this::keepalive, every, every, TimeUnit.MILLISECONDS);
    }

    Channel channel() {
        return channel;
    }

    /** Opens a stream; throws {@link YamuxException} when the session takes no new streams. Event loop only. */
    Stream open(StreamHandler handler) {
        YamuxSession.Opened opened = session.open();
        Stream s = new Stream(opened.streamId());
        s.handler(handler);
        streams.put(s.id, s);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(opened.bytes()));
        return s;
    }

    int streamCount() {
        return streams.size();
    }

    boolean isOpen() {
        return !ended && channel.isActive();
    }

    private void keepalive() {
        if (ended) {
            return;
        }
        long now = System.nanoTime();
        if (pingSentAt >= 0 && now - pingSentAt > config.connectionWriteTimeout().toNanos()) {
            end("keepalive timeout: no pong within " + config.connectionWriteTimeout().toSeconds() + " s", null);
            return;
        }
        if (pingSentAt < 0) {
            pingSentAt = now;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(session.ping().bytes()));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(buf);
        buf.release();
        if (ended) {
            return;
        }
        List<YamuxAction> actions;
        try {
            actions = session.receive(bytes);
        } catch (YamuxException e) {
            byte[] goAway = e.goAway();
            if (goAway != null && channel.isActive()) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(goAway));
            }
            end(e.reason() + ": " + e.getMessage(), e);
            return;
        }
        boolean wrote = false;
        for (YamuxAction a : actions) {
            wrote |= act(a);
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private boolean act(YamuxAction action) {
        if (action instanceof YamuxAction.Write w) {
            ctx.write(Unpooled.wrappedBuffer(w.bytes()));
            return true;
        }
        if (action instanceof YamuxAction.Incoming in) {
            Stream s = new Stream(in.streamId());
            streams.put(s.id, s);
            ctx.write(Unpooled.wrappedBuffer(session.accept(s.id)));
            events.incoming(s);
            return true;
        }
        if (action instanceof YamuxAction.DataReceived d) {
            Stream s = streams.get(d.streamId());
            byte[] data = d.data();
            if (s != null && s.handler != null) {
                s.handler.data(s, data);
            } else if (s != null) {
                s.consumed(data.length);
            }
        } else if (action instanceof YamuxAction.SendWindow w) {
            Stream s = streams.get(w.streamId());
            if (s != null) {
                flush(s);
            }
        } else if (action instanceof YamuxAction.RemoteClosed rc) {
            Stream s = streams.get(rc.streamId());
            if (s != null && s.handler != null) {
                s.handler.remoteClosed(s);
            }
        } else if (action instanceof YamuxAction.Closed c) {
            Stream s = streams.get(c.streamId());
            if (s != null) {
                forget(s, "closed by both sides");
            }
        } else if (action instanceof YamuxAction.Reset r) {
            Stream s = streams.get(r.streamId());
            if (s != null) {
                forget(s, "reset by the peer");
            }
        } else if (action instanceof YamuxAction.Pong) {
            pingSentAt = -1;
        } else if (action instanceof YamuxAction.RemoteGoAway) {
            log.debug("yamux peer {} takes no new streams", channel.remoteAddress());
        } else if (action instanceof YamuxAction.Discarded d) {
            log.trace("yamux dropped a frame for unknown stream {}", d.streamId());
        }
        return false; // Established: the first data may already have gone; nothing waits for it
    }

    private void flush(Stream s) {
        boolean wrote = false;
        while (!s.pending.isEmpty() && !s.gone && !session.isClosed()) {
            PendingWrite w = s.pending.peek();
            int off = w.offset()[0];
            YamuxSession.Written written;
            try {
                written = session.write(s.id, w.data(), off, w.data().length - off);
            } catch (YamuxException e) {
                s.pending.poll();
                w.promise().tryFailure(e);
                continue;
            }
            if (written.taken() == 0 && w.data().length > off) {
                break; // wait for the peer's window update
            }
            w.offset()[0] = off + written.taken();
            boolean last = w.offset()[0] >= w.data().length;
            if (written.bytes().length > 0) {
                var f = ctx.write(Unpooled.wrappedBuffer(written.bytes()));
                wrote = true;
                if (last) {
                    f.addListener(done -> {
                        if (done.isSuccess()) {
                            w.promise().trySuccess(null);
                        } else {
                            w.promise().tryFailure(done.cause());
                        }
                    });
                }
            } else if (last) {
                w.promise().trySuccess(null);
            }
            if (last) {
                s.pending.poll();
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private void forget(Stream s, String why) {
        if (s.gone) {
            return;
        }
        s.gone = true;
        streams.remove(s.id);
        PendingWrite w;
        while ((w = s.pending.poll()) != null) {
            w.promise().tryFailure(new ClosedChannelException());
        }
        if (s.handler != null) {
            s.handler.gone(s, why);
        }
    }

    /** Ends the session: every stream is gone and the connection closes. */
    void end(String reason, YamuxException cause) {
        if (ended) {
            return;
        }
        ended = true;
        if (keepalive != null) {
            keepalive.cancel(false);
        }
        if (!session.isClosed()) {
            session.close();
        }
        for (Stream s : new ArrayList<>(streams.values())) {
            forget(s, "session ended: " + reason);
        }
        events.closed(reason, cause);
        channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end("connection closed", null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        end("connection error: " + cause.getMessage(), null);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (keepalive != null) {
            keepalive.cancel(false);
        }
    }
}
