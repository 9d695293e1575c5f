package io.skychat.config;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * How many connections the control surface may hold, sized from the process's descriptor limit measured at
 * start, so HTTP alone can never run the process out of descriptors (EMFILE stops every accept, silently).
 * Of what is free at start, a reserve stays for the store, TCP-direct links and the JVM; HTTP connections get
 * the rest, and streams ({@code /sse}, {@code /events}) all of that but a control reserve, so {@code /status}
 * and {@code POST /message} still find a connection when every stream slot is taken.
 *
 * @param limit          the descriptor limit ({@code ulimit -n}), or -1 where the JVM cannot tell
 * @param openAtStart    descriptors already open when measured (jars, logs); the store, event loops and
 *                       listeners open later, inside the reserve
 * @param maxConnections the HTTP connection cap in effect
 * @param maxStreams     the stream cap in effect
 */
record DescriptorBudget(long limit, long openAtStart, int maxConnections, int maxStreams) {

    static final String AUTO = "auto";
    /** Left for everything but HTTP: at least this many descriptors, or a quarter of what was free. */
    static final int MIN_RESERVE = 64;
    /** Connections kept from streams for the control routes: at least this many, or an eighth of the cap. */
    static final int MIN_CONTROL_RESERVE = 8;
    static final int MIN_CONNECTIONS = 16;
    /** Where the JVM cannot read its descriptor limit (not a Unix JVM). */
    static final int FALLBACK_CONNECTIONS = 2048;
    /** Keeps derived caps within an int however large the limit (unlimited reads as Long.MAX_VALUE). */
    static final long MAX_DERIVED = 1 << 20;

    DescriptorBudget {
        if (maxConnections < 1 || maxStreams < 1) {
            throw new IllegalArgumentException("connection and stream caps must be positive");
        }
    }

    /** Measures this process now and applies {@code --max-connections} / {@code --max-streams} where given. */
    static DescriptorBudget measureNow(SkychatProperties.Limits limits) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return of(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount(), limits);
        }
        return of(-1, -1, limits);
    }

    static DescriptorBudget of(long limit, long open, SkychatProperties.Limits limits) {
        Integer connections = parseCap(limits.maxConnections(), "--max-connections");
        Integer streams = parseCap(limits.maxStreams(), "--max-streams");
        int maxConnections = connections != null ? connections : automaticConnections(limit, open);
        int maxStreams = streams != null ? streams : automaticStreams(maxConnections);
        return new DescriptorBudget(limit, open, maxConnections, maxStreams);
    }

    static int automaticConnections(long limit, long open) {
        if (limit <= 0 || open < 0) {
            return FALLBACK_CONNECTIONS;
        }
        long free = Math.max(0, Math.min(limit, MAX_DERIVED) - open);
        long reserve = Math.max(MIN_RESERVE, free / 4);
        return (int) Math.max(MIN_CONNECTIONS, free - reserve);
    }

    static int automaticStreams(int maxConnections) {
        int reserve = Math.max(MIN_CONTROL_RESERVE, maxConnections / 8);
        return Math.max(1, maxConnections - reserve);
    }

    /** {@code auto} (null) or a positive number. */
    static Integer parseCap(String value, String flag) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase(AUTO)) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": \"" + value + "\" is neither auto nor a positive number");
        }
    }

    /** One line for the start-up log: the caps and where they came from. */
    String describe() {
        String source = limit <= 0 ? "the descriptor limit is unknown here"
                : "descriptor limit " + limit + ", " + openAtStart + " open at start";
        return maxConnections + " HTTP connections, " + maxStreams + " streams (" + source + ")";
    }
}
