package io.skychat.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;

/**
 * What the chat screen shows: the messages exchanged with one peer and where each outgoing one is on its
 * way (queued → sent → received → read, or failed). Fed from history, the SSE stream and send answers on
 * different threads, hence synchronized; the screen polls {@link #version()} to know when to redraw.
 */
final class Conversation {

    static final int MAX_LINES = 2000;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    enum State {
        QUEUED, SENT, RECEIVED, READ, FAILED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State parse(String s) {
            for (State st : values()) {
                if (st.label().equalsIgnoreCase(s)) {
                    return st;
                }
            }
            return null;
        }

        /** Forward only; a failure never hides a receipt that did arrive. */
        boolean improvesOn(State current) {
            if (current == null) {
                return true;
            }
            if (this == FAILED) {
                return current == QUEUED || current == SENT;
            }
            if (current == FAILED) {
                return this == RECEIVED || this == READ;
            }
            return ordinal() > current.ordinal();
        }
    }

    enum Kind { IN, OUT, NOTICE }

    /** One line of the conversation. Outgoing lines carry a state; {@code id} is null until the service named it. */
    static final class Line {
        final Instant at;
        final Kind kind;
        final String text;
        String id;
        State state;
        String reason;

        Line(Instant at, Kind kind, String text, String id, State state) {
            this.at = at;
            this.kind = kind;
            this.text = text;
            this.id = id;
            this.state = state;
        }
    }

    private final String peer;
    private final String peerName;
    private final List<Line> lines = new ArrayList<>();
    private final Map<String, Line> byId = new HashMap<>();
    private final Map<String, State> earlyStates = new HashMap<>();
    private final AtomicLong version = new AtomicLong();
    private volatile String connection = "connecting";

    Conversation(String peer, String peerName) {
        this.peer = peer;
        this.peerName = peerName;
    }

    long version() {
        return version.get();
    }

    String connection() {
        return connection;
    }

    void connection(String state) {
        connection = state;
        version.incrementAndGet();
    }

    String peerName() {
        return peerName;
    }

    synchronized void history(io.skychat.api.dto.HistoryEntry e) {
        if (e.id() != null && byId.containsKey(e.id())) {
            return;
        }
        Instant at = parseTime(e.timestamp());
        State state = e.outgoing() ? State.parse(e.status() == null || e.status().isEmpty() ? "sent" : e.status()) : null;
        add(new Line(at, e.outgoing() ? Kind.OUT : Kind.IN, e.text(), e.id(), state));
    }

    /** Applies one SSE event; returns the id of a newly shown incoming message (to acknowledge reading), else null. */
    synchronized String event(JsonNode event, Instant now) {
        if ("dm-status".equals(ListenVerb.text(event, "channel"))) {
            if (!peer.equalsIgnoreCase(ListenVerb.text(event, "peer"))) {
                return null;
            }
            String id = ListenVerb.text(event, "id");
            State state = State.parse(ListenVerb.text(event, "status"));
            if (state == null) {
                return null;
            }
            Line line = byId.get(id);
            if (line == null) {
                earlyStates.merge(id, state, (a, b) -> b.improvesOn(a) ? b : a);
            } else {
                advance(line, state, null);
            }
            return null;
        }
        if (!ListenVerb.isDirectMessage(event)) {
            return null;
        }
        String id = ListenVerb.text(event, "id");
        String text = ListenVerb.text(event, "message");
        boolean out = "out".equals(ListenVerb.text(event, "dir"));
        if (out ? !peer.equalsIgnoreCase(ListenVerb.text(event, "to"))
                : !peer.equalsIgnoreCase(ListenVerb.text(event, "sender"))) {
            return null;
        }
        if (!id.isEmpty() && byId.containsKey(id)) {
            if (out) {
                advance(byId.get(id), State.SENT, null);
            }
            return null;
        }
        if (out) {
            // Our own send, seen on the stream before its answer came back: bind it rather than show it twice.
            for (Line l : lines) {
                if (l.kind == Kind.OUT && l.id == null && l.state == State.QUEUED && l.text.equals(text)) {
                    bind(l, id);
                    advance(l, State.SENT, null);
                    return null;
                }
            }
            add(new Line(now, Kind.OUT, text, id.isEmpty() ? null : id, State.SENT));
            return null;
        }
        add(new Line(now, Kind.IN, text, id.isEmpty() ? null : id, null));
        return id.isEmpty() ? null : id;
    }

    synchronized Line outgoing(String text, Instant now) {
        Line line = new Line(now, Kind.OUT, text, null, State.QUEUED);
        add(line);
        return line;
    }

    /** The service accepted the message and named it. */
    synchronized void sent(Line line, String id, boolean acked) {
        if (line.id == null && id != null) {
            Line twin = byId.get(id);
            if (twin != null && twin != line) {
                lines.remove(twin); // the stream showed it first
            }
            bind(line, id);
        }
        advance(line, acked ? State.RECEIVED : State.SENT, null);
    }

    synchronized void failed(Line line, String reason) {
        advance(line, State.FAILED, reason);
    }

    synchronized void notice(String text, Instant now) {
        add(new Line(now, Kind.NOTICE, text, null, null));
    }

    /** A line as the screen shows it; the screen wraps it and styles it by kind and state. */
    record Shown(String text, Kind kind, State state) {
    }

    /** The conversation, oldest first, one entry per message. */
    synchronized List<Shown> render(ZoneId zone) {
        List<Shown> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            out.add(new Shown(format(l, zone), l.kind, l.state));
        }
        return out;
    }

    synchronized State stateOf(String id) {
        Line l = byId.get(id);
        return l == null ? null : l.state;
    }

    String format(Line l, ZoneId zone) {
        String time = CLOCK.format(l.at.atZone(zone));
        return switch (l.kind) {
            case NOTICE -> time + " -- " + TerminalText.escape(l.text);
            case IN -> time + " " + peerName + ": " + TerminalText.escape(l.text);
            case OUT -> time + " you: " + TerminalText.escape(l.text) + "  (" + l.state.label()
                    + (l.state == State.FAILED && l.reason != null ? ": " + l.reason : "") + ")";
        };
    }

    private void bind(Line line, String id) {
        line.id = id;
        byId.put(id, line);
        State early = earlyStates.remove(id);
        if (early != null) {
            advance(line, early, null);
        }
    }

    private void advance(Line line, State state, String reason) {
        if (line.state == null || state.improvesOn(line.state)) {
            line.state = state;
            line.reason = reason;
            version.incrementAndGet();
        }
    }

    private void add(Line line) {
        lines.add(line);
        if (line.id != null) {
            byId.put(line.id, line);
            State early = earlyStates.remove(line.id);
            if (early != null && line.kind == Kind.OUT) {
                advance(line, early, null);
            }
        }
        if (lines.size() > MAX_LINES) {
            Line dropped = lines.remove(0);
            if (dropped.id != null) {
                byId.remove(dropped.id);
            }
        }
        version.incrementAndGet();
    }

    private static Instant parseTime(String ts) {
        try {
            return java.time.OffsetDateTime.parse(ts).toInstant();
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
