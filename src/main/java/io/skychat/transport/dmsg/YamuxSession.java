package io.skychat.transport.dmsg;

import io.skychat.transport.dmsg.YamuxAction.Write;
import io.skychat.transport.dmsg.YamuxException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One side of a yamux session with hashicorp/yamux's semantics, as dmsg runs it: bytes or frames in,
 * actions out, no I/O, no threads, no clocks. The dmsg client is the yamux client (odd stream ids), the
 * dmsg server the yamux server (even ids). Timers (keepalive, open and close timeouts) belong to the
 * adapter. Not thread-safe: drive it from one event loop.
 */
final class YamuxSession {

    private enum State { SYN_SENT, SYN_RECEIVED, ESTABLISHED, LOCAL_CLOSE, REMOTE_CLOSE }

    private static final class Stream {
        State state;
        long sendWindow = YamuxConfig.INITIAL_STREAM_WINDOW;
        long recvWindow = YamuxConfig.INITIAL_STREAM_WINDOW;
        long buffered; // delivered to the application but not yet consumed: still counts against the window

        Stream(State state) {
            this.state = state;
        }
    }

    /** A stream we opened and the bytes that announce it. */
    record Opened(long streamId, byte[] bytes) {
    }

    /** How much of a write the send window took ({@code taken}), and the Data frame carrying it. */
    record Written(int taken, byte[] bytes) {
    }

    /** A ping we sent: its opaque id, which the pong echoes, and the frame. */
    record PingSent(long opaque, byte[] bytes) {
    }

    private static final byte[] NOTHING = new byte[0];

    private final YamuxConfig config;
    private final boolean client;
    private final Map<Long, Stream> streams = new HashMap<>();
    private final Set<Long> unaccepted = new HashSet<>();
    private final Set<Long> opening = new HashSet<>();
    private final Set<Long> pings = new HashSet<>();
    private long nextStreamId;
    private long nextPingId;
    private boolean localGoAway;
    private boolean remoteGoAway;
    private YamuxException failure;
    private boolean closed;
    private byte[] inbox = NOTHING; // [inboxStart, inboxEnd): bytes of frames not yet complete
    private int inboxStart;
    private int inboxEnd;

    private YamuxSession(YamuxConfig config, boolean client) {
        this.config = config;
        this.client = client;
        this.nextStreamId = client ? 1 : 2;
    }

    /** The side that dialed (a dmsg client). */
    static YamuxSession client(YamuxConfig config) {
        return new YamuxSession(config, true);
    }

    /** The side that accepted the connection (a dmsg server). */
    static YamuxSession server(YamuxConfig config) {
        return new YamuxSession(config, false);
    }

    /**
     * Takes bytes as they arrive, in any split; acts on every frame they complete. A {@link YamuxException}
     * ends the session (write its {@code goAway()}, if any, and close); actions of the same call are dropped.
     */
    List<YamuxAction> receive(byte[] bytes, int off, int len) {
        checkOpen();
        append(bytes, off, len);
        List<YamuxAction> actions = new ArrayList<>();
        try {
            while (true) {
                YamuxFrame.Decoded d = YamuxFrame.decode(inbox, inboxStart, inboxEnd - inboxStart, config.maxStreamWindow());
                if (d == null) {
                    break;
                }
                inboxStart += d.consumed();
                handle(d.frame(), actions);
            }
        } catch (YamuxException e) {
            throw fail(e);
        }
        return actions;
    }

    List<YamuxAction> receive(byte[] bytes) {
        return receive(bytes, 0, bytes.length);
    }

    /** Buffers input so that a frame arriving a byte at a time costs linear, not quadratic, copying. */
    private void append(byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        if (inboxStart == inboxEnd) {
            inboxStart = 0;
            inboxEnd = 0;
            if (inbox.length > 64 * 1024) {
                inbox = NOTHING; // a big frame went through; don't keep its buffer for the session's life
            }
        }
        if (inbox.length - inboxEnd < len) {
            int live = inboxEnd - inboxStart;
            byte[] grown = inbox.length - live >= len && inboxStart > 0 ? inbox
                    : new byte[Math.max(live + len, Math.max(64, inbox.length * 2))];
            System.arraycopy(inbox, inboxStart, grown, 0, live);
            inbox = grown;
            inboxStart = 0;
            inboxEnd = live;
        }
        System.arraycopy(bytes, off, inbox, inboxEnd, len);
        inboxEnd += len;
    }

    /** Acts on one decoded frame, for an adapter that decodes on its own. */
    List<YamuxAction> handle(YamuxFrame frame) {
        checkOpen();
        List<YamuxAction> actions = new ArrayList<>();
        try {
            if (frame instanceof YamuxFrame.Data d && d.length() > config.maxStreamWindow()) {
                throw YamuxException.protocol(Reason.FRAME_TOO_LARGE, "data frame of " + d.length()
                        + " bytes exceeds the " + config.maxStreamWindow() + "-byte window");
            }
            handle(frame, actions);
        } catch (YamuxException e) {
            throw fail(e);
        }
        return actions;
    }

    private void handle(YamuxFrame frame, List<YamuxAction> actions) {
        if (frame instanceof YamuxFrame.Ping p) {
            if (p.has(YamuxFrame.SYN)) {
                actions.add(new Write(new YamuxFrame.Ping(YamuxFrame.ACK, p.opaque()).encode()));
            } else if (pings.remove(p.opaque())) {
                actions.add(new YamuxAction.Pong(p.opaque()));
            }
        } else if (frame instanceof YamuxFrame.GoAway g) {
            if (g.code() == YamuxFrame.GO_AWAY_NORMAL) {
                remoteGoAway = true;
                actions.add(new YamuxAction.RemoteGoAway());
            } else if (g.code() == YamuxFrame.GO_AWAY_PROTOCOL_ERROR) {
                throw YamuxException.fatal(Reason.REMOTE_PROTOCOL_ERROR, "peer went away: yamux protocol error");
            } else if (g.code() == YamuxFrame.GO_AWAY_INTERNAL_ERROR) {
                throw YamuxException.fatal(Reason.REMOTE_INTERNAL_ERROR, "peer went away: remote yamux internal error");
            } else {
                throw YamuxException.fatal(Reason.UNEXPECTED_GO_AWAY, "unexpected go away code " + g.code());
            }
        } else {
            streamFrame(frame, actions); // Data or WindowUpdate
        }
    }

    private void streamFrame(YamuxFrame frame, List<YamuxAction> actions) {
        long id = frame.streamId();
        if (frame.has(YamuxFrame.SYN) && !incoming(id, actions)) {
            return;
        }
        Stream s = streams.get(id);
        if (s == null) {
            // Upstream drops these: usually frames in flight after we reset or refused the stream.
            actions.add(new YamuxAction.Discarded(id, frame.type(), frame instanceof YamuxFrame.Data ? frame.length() : 0));
            return;
        }
        boolean data = frame instanceof YamuxFrame.Data;
        if (data && frame.length() > s.recvWindow) {
            throw YamuxException.protocol(Reason.RECEIVE_WINDOW_EXCEEDED, "receive window exceeded (stream: " + id
                    + ", remain: " + s.recvWindow + ", recv: " + frame.length() + ")");
        }
        if (!data && s.sendWindow + frame.length() > YamuxFrame.MAX_U32) {
            // Upstream's uint32 would wrap silently; a window past 4 GiB is never legitimate.
            throw YamuxException.protocol(Reason.SEND_WINDOW_OVERFLOW, "window update of " + frame.length()
                    + " on stream " + id + " overflows the send window " + s.sendWindow);
        }
        List<YamuxAction> after = new ArrayList<>(1);
        if (frame.has(YamuxFrame.ACK)) {
            opening.remove(id);
            if (s.state == State.SYN_SENT) {
                s.state = State.ESTABLISHED;
                actions.add(new YamuxAction.Established(id));
            }
        }
        if (frame.has(YamuxFrame.FIN)) {
            switch (s.state) {
                case SYN_SENT, SYN_RECEIVED, ESTABLISHED -> {
                    s.state = State.REMOTE_CLOSE;
                    after.add(new YamuxAction.RemoteClosed(id));
                }
                case LOCAL_CLOSE -> {
                    forget(id);
                    after.add(new YamuxAction.Closed(id));
                }
                case REMOTE_CLOSE -> throw YamuxException.protocol(Reason.UNEXPECTED_FLAG,
                        "unexpected FIN flag on stream " + id + ", already closed by the peer");
            }
        }
        if (frame.has(YamuxFrame.RST)) {
            forget(id);
            after.clear();
            actions.add(new YamuxAction.Reset(id));
            return; // data on a reset stream is never read
        }
        if (frame instanceof YamuxFrame.Data d) {
            if (d.length() > 0) {
                s.recvWindow -= d.length();
                s.buffered += d.length();
                actions.add(new YamuxAction.DataReceived(id, d.body()));
            }
        } else if (frame.length() > 0) {
            s.sendWindow += frame.length();
            actions.add(new YamuxAction.SendWindow(id, s.sendWindow));
        }
        actions.addAll(after);
    }

    /** Registers a stream the peer opened; false when it was refused with a reset. */
    private boolean incoming(long id, List<YamuxAction> actions) {
        // Upstream does not check the parity; a peer using our ids would collide with our own streams.
        if (id == 0 || (id % 2 == 1) == client) {
            throw YamuxException.protocol(Reason.BAD_STREAM_ID, "peer opened stream " + id + ", which is not a "
                    + (client ? "server" : "client") + " stream id");
        }
        if (localGoAway) {
            actions.add(new Write(new YamuxFrame.WindowUpdate(YamuxFrame.RST, id, 0).encode()));
            return false;
        }
        if (streams.containsKey(id)) {
            throw YamuxException.protocol(Reason.DUPLICATE_STREAM, "duplicate stream declared: " + id);
        }
        if (unaccepted.size() >= config.acceptBacklog()) {
            actions.add(new Write(new YamuxFrame.WindowUpdate(YamuxFrame.RST, id, 0).encode()));
            return false; // backlog exceeded: the stream is refused, the session goes on
        }
        streams.put(id, new Stream(State.SYN_RECEIVED));
        unaccepted.add(id);
        actions.add(new YamuxAction.Incoming(id));
        return true;
    }

    /** Opens a stream: a WindowUpdate with SYN and delta 0, the window being 256 KiB already. */
    Opened open() {
        checkOpen();
        if (remoteGoAway) {
            throw YamuxException.local(Reason.REMOTE_GO_AWAY, "the peer accepts no new streams (go away)");
        }
        if (nextStreamId >= YamuxFrame.MAX_U32 - 1) {
            throw YamuxException.local(Reason.STREAMS_EXHAUSTED, "streams exhausted");
        }
        if (opening.size() >= config.acceptBacklog()) {
            // Upstream blocks the opener here until the peer acknowledges; an adapter queues instead.
            throw YamuxException.local(Reason.TOO_MANY_OPENING, opening.size() + " streams await the peer's ACK");
        }
        long id = nextStreamId;
        nextStreamId += 2;
        Stream s = new Stream(State.SYN_SENT);
        streams.put(id, s);
        opening.add(id);
        return new Opened(id, new YamuxFrame.WindowUpdate(YamuxFrame.SYN, id, windowDelta(s)).encode());
    }

    /** Answers a stream the peer opened: a WindowUpdate with ACK. */
    byte[] accept(long streamId) {
        checkOpen();
        if (!unaccepted.remove(streamId)) {
            throw YamuxException.local(Reason.UNKNOWN_STREAM, "stream " + streamId + " is not waiting to be accepted");
        }
        Stream s = streams.get(streamId);
        int flags = sendFlags(s);
        return new YamuxFrame.WindowUpdate(flags, streamId, windowDelta(s)).encode();
    }

    /**
     * Sends as much of {@code data} as the send window allows, in one Data frame; {@code taken} 0 means
     * wait for a {@link YamuxAction.SendWindow}.
     */
    Written write(long streamId, byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        Stream s = writable(streamId);
        int n = (int) Math.min(s.sendWindow, len);
        if (n == 0) {
            return new Written(0, NOTHING); // an empty write sends nothing, as upstream's loop
        }
        int flags = sendFlags(s);
        s.sendWindow -= n;
        return new Written(n, new YamuxFrame.Data(flags, streamId, Arrays.copyOfRange(data, off, off + n)).encode());
    }

    /**
     * The application took {@code count} delivered bytes: returns the window update upstream would send
     * (only once half the window can be granted back), or no bytes.
     */
    byte[] consumed(long streamId, long count) {
        checkOpen();
        Stream s = streams.get(streamId);
        if (s == null) {
            return NOTHING; // closed meanwhile; nothing to grant
        }
        if (count < 0 || count > s.buffered) {
            throw new IllegalArgumentException("consumed " + count + " of " + s.buffered + " buffered bytes");
        }
        s.buffered -= count;
        long delta = windowDelta(s);
        if (delta < config.maxStreamWindow() / 2 && s.state != State.SYN_RECEIVED) {
            return NOTHING;
        }
        int flags = sendFlags(s);
        s.recvWindow += delta;
        return new YamuxFrame.WindowUpdate(flags, streamId, delta).encode();
    }

    /** Half-closes our side (FIN); the stream is gone once the peer's FIN has also come. */
    byte[] close(long streamId) {
        checkOpen();
        Stream s = streams.get(streamId);
        if (s == null || s.state == State.LOCAL_CLOSE) {
            return NOTHING;
        }
        int flags = sendFlags(s) | YamuxFrame.FIN;
        if (s.state == State.REMOTE_CLOSE) {
            forget(streamId);
        } else {
            s.state = State.LOCAL_CLOSE;
        }
        return new YamuxFrame.WindowUpdate(flags, streamId, 0).encode();
    }

    /** Drops the stream and tells the peer with RST, as upstream does when the close timeout expires. */
    byte[] reset(long streamId) {
        checkOpen();
        if (streams.containsKey(streamId)) {
            forget(streamId);
        }
        return new YamuxFrame.WindowUpdate(YamuxFrame.RST, streamId, 0).encode();
    }

    /** A keepalive ping; the adapter closes the session if no pong comes within the write timeout. */
    PingSent ping() {
        checkOpen();
        long opaque = nextPingId;
        nextPingId = (nextPingId + 1) & YamuxFrame.MAX_U32;
        pings.add(opaque);
        return new PingSent(opaque, new YamuxFrame.Ping(YamuxFrame.SYN, opaque).encode());
    }

    /** Refuses new streams from now on (they get RST); open ones go on. */
    byte[] goAway() {
        checkOpen();
        localGoAway = true;
        return new YamuxFrame.GoAway(YamuxFrame.GO_AWAY_NORMAL).encode();
    }

    /** Ends the session locally; upstream writes nothing on close. */
    void close() {
        closed = true;
        streams.clear();
    }

    boolean isOpen(long streamId) {
        return streams.containsKey(streamId);
    }

    long sendWindow(long streamId) {
        Stream s = streams.get(streamId);
        return s == null ? 0 : s.sendWindow;
    }

    long receiveWindow(long streamId) {
        Stream s = streams.get(streamId);
        return s == null ? 0 : s.recvWindow;
    }

    int streamCount() {
        return streams.size();
    }

    boolean isClosed() {
        return closed || failure != null;
    }

    private Stream writable(long streamId) {
        checkOpen();
        Stream s = streams.get(streamId);
        if (s == null || s.state == State.LOCAL_CLOSE) {
            throw YamuxException.local(Reason.STREAM_CLOSED, "stream " + streamId + " is closed");
        }
        return s;
    }

    /** The flags our next frame on {@code s} must carry, advancing its state as upstream's sendFlags. */
    private int sendFlags(Stream s) {
        if (s.state == State.SYN_RECEIVED) {
            s.state = State.ESTABLISHED;
            return YamuxFrame.ACK;
        }
        return 0;
    }

    private long windowDelta(Stream s) {
        return config.maxStreamWindow() - s.buffered - s.recvWindow;
    }

    private void forget(long id) {
        streams.remove(id);
        unaccepted.remove(id);
        opening.remove(id);
    }

    private YamuxException fail(YamuxException e) {
        failure = e;
        streams.clear();
        inbox = NOTHING;
        return e;
    }

    private void checkOpen() {
        if (failure != null) {
            throw YamuxException.local(Reason.SESSION_CLOSED, "session ended: " + failure.getMessage());
        }
        if (closed) {
            throw YamuxException.local(Reason.SESSION_CLOSED, "session closed");
        }
    }
}
