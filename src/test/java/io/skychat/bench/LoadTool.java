package io.skychat.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Keys;
import io.skychat.support.NodeProcess;

/**
 * Load on the chat path, all in one run on one machine so the figures can be compared:
 * <ol>
 *   <li><b>raw baseline</b>: this process and a {@link RawEchoPeer} process exchange chat-msg / chat-ack over
 *       Noise XK on loopback with the service's own wire classes, no store and no HTTP;</li>
 *   <li><b>service sequential</b>: this process dials node B over TCP-direct as a peer would, sends one
 *       chat-msg and waits for its chat-ack, so a sample is B's receive, commit and ack (persistence on);</li>
 *   <li><b>service pipelined</b>: the same peers keep a window of unacked messages in flight;</li>
 *   <li><b>two nodes over HTTP</b>: {@code POST /message} with {@code wait_ms} on A, delivered to B;</li>
 * </ol>
 * then the service's figures as a share of the baseline's. Not a test; run with {@code bench/load.sh}
 * (see {@link LoadOptions#USAGE}).
 */
public final class LoadTool {

    /** Per-peer limits are for hostile peers; a load run measures the machinery, so they are lifted. */
    private static final String[] OPEN_LIMITS = {"--persist-per-peer-rate", "0", "--persist-per-peer-cap", "1000000",
            "--persist-total-cap", "1GB", "--persist-max-size", "65536", "--skychat.limits.peer-rate.per-second=1000000",
            "--skychat.limits.peer-rate.burst=1000000"};

    /** Two cores shared with other work can make a node take minutes to start. */
    private static final Duration START_PATIENCE = Duration.ofMinutes(5);

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        new LoadTool(options).run();
    }

    private final LoadOptions options;
    private final String body;
    private final Map<String, AckedRuns.Result> raw = new LinkedHashMap<>();
    private final Map<String, AckedRuns.Result> service = new LinkedHashMap<>();
    /** While the service runs are measured: node B's group-commit meters. */
    private java.util.function.Supplier<StoreMeters> storeMeters;

    LoadTool(LoadOptions options) {
        this.options = options;
        this.body = "x".repeat(options.size());
    }

    void run() throws Exception {
        var os = ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "load: %s, %d CPUs, load average %.1f, Java %s; body %d B, %d peer(s), windows %s%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), os.getAvailableProcessors(), os.getSystemLoadAverage(),
                System.getProperty("java.version"), options.size(), options.peers(), options.windows());
        if (options.runs("raw")) {
            raw();
        }
        if (options.runs("service") || options.runs("http")) {
            nodes();
        }
        summary();
    }

    /** Section a: the raw baseline against a separate echo process. */
    void raw() throws Exception {
        System.out.println("raw baseline: this process -> echo process, Noise XK over loopback, chat-msg answered by"
                + " chat-ack, no store, no HTTP");
        try (RawEchoPeer.Handle echo = RawEchoPeer.start()) {
            measure(echo.address(), echo.key(), raw, echo.process().pid());
        }
    }

    /** Sections b, c and d: node B listening on TCP-direct; node A dialling it for the HTTP runs. */
    private void nodes() throws Exception {
        Files.createDirectories(Path.of("target"));
        Path dir = Files.createTempDirectory(Path.of("target"), "load"); // the nodes' work dirs and logs
        int bTcp = NodeProcess.freePort();
        try (NodeProcess b = new NodeProcess(dir.resolve("b"), NodeProcess.freePort(), concat(OPEN_LIMITS,
                "--standalone", "--sk", Keys.BOB_SK, "--tcp-listen", "127.0.0.1:" + bTcp)).withJvmFlags()
                .withManagementPort(NodeProcess.freePort()).withStartTimeout(START_PATIENCE)) {
            b.start(); // inside the try: a node that fails to start is still stopped
            if (options.runs("service")) {
                System.out.println("service: this process dials node B over tcp-direct as a peer, chat-msg -> B"
                        + " records it (persistence on) -> chat-ack; no HTTP");
                storeMeters = () -> StoreMeters.read(b.managementPort());
                measure(new InetSocketAddress(InetAddress.getLoopbackAddress(), bTcp), PeerKey.parse(Keys.BOB_PK),
                        service, b.pid());
                storeMeters = null;
            }
            if (options.runs("http")) {
                try (NodeProcess a = new NodeProcess(dir.resolve("a"), NodeProcess.freePort(), concat(OPEN_LIMITS,
                        "--standalone", "--sk", Keys.ALICE_SK, "--tcp-peer", "tcp://" + Keys.BOB_PK + "@127.0.0.1:"
                                + bTcp)).withJvmFlags().withManagementPort(NodeProcess.freePort())
                        .withStartTimeout(START_PATIENCE)) {
                    a.start();
                    storeMeters = () -> StoreMeters.read(a.managementPort());
                    http(a);
                    storeMeters = null;
                }
            }
        }
    }

    /**
     * Warm-up, one sequential run on the first peer, then one pipelined run per window over all peers; each
     * run also prints the CPU the answering process ({@code pid}) spent per message.
     */
    private void measure(InetSocketAddress address, PeerKey key, Map<String, AckedRuns.Result> into, long pid)
            throws Exception {
        List<NoiseFramedPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < options.peers(); i++) {
                peers.add(NoiseFramedPeer.dial(address, KeyPair.generate(), key));
            }
            if (options.warmup() > 0) { // JIT, page cache, connection buffers
                AckedRuns.pipelined(peers, Math.max(options.warmup(), peers.size()), 32, body);
                AckedRuns.sequential(peers.get(0), Math.min(options.warmup(), 5000), body); // till C2 is done with it
            }
            long cpu = ProcessCpu.nanos(pid);
            StoreMeters before = storeMeters == null ? null : storeMeters.get();
            AckedRuns.Result seq = AckedRuns.sequential(peers.get(0), options.seqMessages(), body);
            into.put("sequential", seq);
            print("sequential, 1 peer", seq, ProcessCpu.nanos(pid) - cpu);
            before = printCommits(before);
            for (int window : options.windows()) {
                cpu = ProcessCpu.nanos(pid);
                AckedRuns.Result r = AckedRuns.pipelined(peers, options.messages(), window, body);
                into.put("w=" + window, r);
                print("pipelined w=" + window + ", " + peers.size() + " peer(s)", r, ProcessCpu.nanos(pid) - cpu);
                before = printCommits(before);
            }
        } finally {
            for (NoiseFramedPeer p : peers) {
                p.close();
            }
        }
    }

    /** The store's commits since {@code before} (null: not measured); returns the meters now. */
    private StoreMeters printCommits(StoreMeters before) {
        if (before == null) {
            return null;
        }
        StoreMeters now = storeMeters.get();
        long commits = now.commits() - before.commits();
        long units = now.units() - before.units();
        System.out.printf(Locale.ROOT, "  %-30s %,d commits, %,d units: %.1f units per commit, %d checkpoints%n",
                "  store", commits, units, commits == 0 ? 0.0 : (double) units / commits,
                now.checkpoints() - before.checkpoints());
        return now;
    }

    private static void print(String what, AckedRuns.Result r) {
        System.out.printf(Locale.ROOT, "  %-30s %,7d msgs  %,9.0f msg/s  %s%n", what, r.messages(), r.throughput(),
                r.latency().format());
    }

    /** As {@link #print(String, AckedRuns.Result)}, with the answering process's CPU per message (10 ms ticks). */
    private static void print(String what, AckedRuns.Result r, long cpuNanos) {
        System.out.printf(Locale.ROOT, "  %-30s %,7d msgs  %,9.0f msg/s  %s  cpu=%.1f us/msg%n", what, r.messages(),
                r.throughput(), r.latency().format(), cpuNanos / 1e3 / r.messages());
    }

    /**
     * Section d: W clients each send A -> B through {@code POST /message} with {@code wait_ms}, each on its own
     * kept-alive connection ({@link KeepAliveHttp}); first the HTTP floor, {@code GET /status} on A, with one.
     */
    private void http(NodeProcess alice) throws Exception {
        System.out.println("two nodes over HTTP: POST /message with wait_ms on A, A -> B over tcp-direct, each acked"
                + " (HTTP, A's outbox, Noise, B's store, chat-ack, A's ack); kept-alive HTTP/1.1 connections");
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), alice.httpPort());
        String token = alice.token().orElse(null);
        byte[] json = ("{\"recipient\":\"" + Keys.BOB_PK + "\",\"message\":\"" + body + "\",\"wait_ms\":30000}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KeepAliveHttp warm = new KeepAliveHttp(a)) {
            for (int i = 0; i < Math.min(options.warmup(), 2000); i++) { // links, JIT, page cache
                warm.exchange("POST", "/message", token, json);
                warm.exchange("GET", "/status", token, null);
            }
            int n = options.httpMessages();
            long[] latency = new long[n];
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                warm.exchange("GET", "/status", token, null);
                latency[i] = System.nanoTime() - t;
            }
            print("GET /status, 1 client (floor)", new AckedRuns.Result(Percentiles.of(latency), n,
                    (System.nanoTime() - start) / 1e9));
        }
        StoreMeters before = storeMeters == null ? null : storeMeters.get();
        for (int workers : options.httpClients()) {
            int messages = options.httpMessages();
            long[] latency = new long[messages];
            AtomicInteger next = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    try (KeepAliveHttp http = new KeepAliveHttp(a)) {
                        int i;
                        while ((i = next.getAndIncrement()) < messages) {
                            long s = System.nanoTime();
                            try {
                                if (http.exchange("POST", "/message", token, json) != 200) {
                                    failed.incrementAndGet();
                                }
                            } catch (IOException e) {
                                failed.incrementAndGet();
                            }
                            latency[i] = System.nanoTime() - s;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            AckedRuns.Result r = new AckedRuns.Result(Percentiles.of(latency), messages, seconds);
            print(workers + " HTTP client(s)", r);
            before = printCommits(before); // node A's
            if (failed.get() > 0) {
                System.out.printf("  %d of %d not acked%n", failed.get(), messages);
            }
        }
    }

    /** Section e: the service as a share of the baseline, beside the targets. */
    private void summary() {
        if (raw.isEmpty() || service.isEmpty()) {
            return;
        }
        System.out.println("service vs raw baseline, same run:");
        long rawP50 = raw.get("sequential").latency().p50();
        long svcP50 = service.get("sequential").latency().p50();
        System.out.printf(Locale.ROOT, "  sequential p50: service %s ms, raw %s ms (%.1fx the raw round trip)%n",
                Percentiles.millis(svcP50), Percentiles.millis(rawP50), (double) svcP50 / rawP50);
        for (int window : options.windows()) {
            AckedRuns.Result r = raw.get("w=" + window);
            AckedRuns.Result s = service.get("w=" + window);
            System.out.printf(Locale.ROOT, "  pipelined w=%d: service %,.0f msg/s = %.1f %% of raw %,.0f msg/s%n",
                    window, s.throughput(), 100 * s.throughput() / r.throughput(), r.throughput());
        }
        double best = service.values().stream().mapToDouble(AckedRuns.Result::throughput).max().orElse(0);
        double bestRaw = raw.values().stream().mapToDouble(AckedRuns.Result::throughput).max().orElse(1);
        System.out.printf(Locale.ROOT, "  target pipelined >= 20,000 msg/s and >= 50 %% of raw: best %,.0f msg/s ="
                + " %.1f %% of the best raw %,.0f msg/s (%s)%n", best, 100 * best / bestRaw, bestRaw,
                best >= 20_000 && best >= bestRaw / 2 ? "met" : "not met");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
