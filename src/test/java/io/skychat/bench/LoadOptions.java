package io.skychat.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one run of the load tool does. Flags are {@code --name value} or {@code --name=value}; the old
 * positional form {@code [messages] [workers] [size]} still works and sets the message counts, the larger
 * HTTP client count and the size. Anything else is refused with a message naming the bad argument.
 */
public record LoadOptions(int messages, int seqMessages, int httpMessages, int size, List<Integer> windows,
                          int peers, List<Integer> httpClients, int warmup, Set<String> sections) {

    static final Set<String> SECTIONS = Set.of("raw", "service", "http");
    /** Leaves room for the envelope's JSON around the body inside one 65,536-byte chat frame. */
    static final int MAX_SIZE = 65_000;

    public static final String USAGE = """
            usage: bench/load.sh [options]            (or the old form: bench/load.sh [messages] [workers] [size])
              --messages N       acked messages per pipelined run, over all peers (default 5000)
              --seq-messages N   one-at-a-time round trips per sequential run (default 2000)
              --http-messages N  messages per HTTP run (default 2000)
              --size B           chat body length in bytes, 1..65000 (default 100)
              --window W[,W..]   unacked messages in flight per peer, one pipelined run each (default 32,128,512)
              --peers N          tool peers with distinct keys, each on its own connection (default 1)
              --http-clients C[,C..]  concurrent POST /message clients, one HTTP run each (default 1,16)
              --warmup N         messages sent before each section's measured runs (default 5000)
              --only S[,S..]     sections to run: raw, service, http (default all three)""";

    public static LoadOptions defaults() {
        return new LoadOptions(5000, 2000, 2000, 100, List.of(32, 128, 512), 1, List.of(1, 16), 5000, SECTIONS);
    }

    public static LoadOptions parse(String... args) {
        LoadOptions o = defaults();
        int messages = o.messages;
        int seq = o.seqMessages;
        int http = o.httpMessages;
        int size = o.size;
        List<Integer> windows = o.windows;
        int peers = o.peers;
        List<Integer> clients = o.httpClients;
        int warmup = o.warmup;
        Set<String> sections = o.sections;
        int positional = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                int n = positive("argument " + (positional + 1), arg);
                switch (positional++) {
                    case 0 -> {
                        messages = n;
                        http = n;
                    }
                    case 1 -> clients = n == 1 ? List.of(1) : List.of(1, n);
                    case 2 -> size = n;
                    default -> throw new IllegalArgumentException("unexpected argument '" + arg + "' (at most three"
                            + " positional arguments: messages workers size)");
                }
                continue;
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            switch (name) {
                case "--messages" -> messages = positive(name, value);
                case "--seq-messages" -> seq = positive(name, value);
                case "--http-messages" -> http = positive(name, value);
                case "--size" -> size = positive(name, value);
                case "--window" -> windows = positiveList(name, value);
                case "--peers" -> peers = positive(name, value);
                case "--http-clients" -> clients = positiveList(name, value);
                case "--warmup" -> warmup = nonNegative(name, value);
                case "--only" -> sections = sections(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("--size " + size + " exceeds " + MAX_SIZE
                    + " (the body and its envelope must fit one 65,536-byte chat frame)");
        }
        if (peers > 256) {
            throw new IllegalArgumentException("--peers " + peers + " exceeds 256");
        }
        if (messages < peers) {
            throw new IllegalArgumentException("--messages " + messages + " is fewer than --peers " + peers
                    + " (each peer sends at least one)");
        }
        return new LoadOptions(messages, seq, http, size, windows, peers, clients, warmup, sections);
    }

    public boolean runs(String section) {
        return sections.contains(section);
    }

    private static int positive(String name, String value) {
        int n = number(name, value);
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + n);
        }
        return n;
    }

    private static int nonNegative(String name, String value) {
        int n = number(name, value);
        if (n < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + n);
        }
        return n;
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    private static List<Integer> positiveList(String name, String value) {
        List<Integer> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            int n = positive(name, part);
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    private static Set<String> sections(String value) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String s = part.strip();
            if (!SECTIONS.contains(s)) {
                throw new IllegalArgumentException("--only: unknown section '" + s + "' (raw, service, http)");
            }
            out.add(s);
        }
        return Set.copyOf(out);
    }
}
