package io.skychat.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.skychat.support.Keys;
import org.awaitility.core.ConditionTimeoutException;
import io.skychat.support.NodeProcess;

/**
 * SSE fan-out on one node: N {@code /sse} subscribers held open by one NIO thread in this process, events
 * published by {@code POST /message} from Alice (the measured node) to Bob (a second node, so the message
 * is routable). Prints delivery latency (POST sent → frame read by a subscriber), the fan-out spread (first
 * subscriber → each other one), heap per subscriber (used heap after a full GC with N subscribers minus
 * before them) and the CPU per delivery: the node's, split into user (Java) and system (kernel) time, and
 * this tool's reading thread's, which shares the machine's cores with the node. Also the rate: the
 * deliveries per second offered by the schedule and the rate they arrived at, from the first POST to the
 * last frame read. With an interval of 0 all the events are posted at once (without waiting for answers),
 * so the arrival rate is what the node (and this reader beside it) can sustain.
 * Not a test; run with {@code bench/fanout.sh [subscribers] [events] [interval-ms]};
 * {@code -Dfanout.jar=…} measures another build of the service, {@code -Dfanout.jvm=…} adds JVM options
 * to the measured node, {@code -Dfanout.jfr=file.jfr} records a profile of the node during the events.
 */
public final class FanoutTool {

    private static final byte[] MARKER = "\"message\":\"fanout-".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int intervalMs = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path dir = Files.createTempDirectory("skychat-fanout");
        int aliceTcp = NodeProcess.freePort();
        String streams = String.valueOf(subscribers + 64);
        String connections = String.valueOf(subscribers + 256);
        // Rate limits are for hostile peers, and the stream caps follow the descriptor limit: lift both.
        String[] open = {"--persist-per-peer-rate", "0", "--persist-per-peer-cap", "1000000", "--persist-total-cap", "1GB",
                "--skychat.limits.peer-rate.per-second=1000000", "--skychat.limits.peer-rate.burst=1000000",
                "--max-streams", streams, "--max-connections", connections, "--persist-seed", "0"};
        try (Service alice = new Service(dir.resolve("a"), concat(open, "--standalone", "--sk", Keys.ALICE_SK,
                "--tcp-listen", "127.0.0.1:" + aliceTcp)).start();
             Service bob = new Service(dir.resolve("b"), concat(open, "--standalone", "--sk", Keys.BOB_SK,
                     "--tcp-peer", "tcp://" + Keys.ALICE_PK + "@127.0.0.1:" + aliceTcp)).start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String token = alice.token();
            awaitPeer(http, alice, token);
            for (int i = 0; i < 300; i++) { // warm-up: JIT, the link, the store; also fills the replay window
                post(http, alice, token, "warm-" + i);
            }
            long heapBefore = alice.heapAfterGc();

            Subscribers subs = new Subscribers(subscribers, events, alice.port, token);
            Thread reader = new Thread(subs::run, "fanout-reader");
            reader.setDaemon(true);
            reader.start();
            long connectStart = System.nanoTime();
            subs.awaitConnected(Duration.ofMinutes(5));
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            long heapWith = alice.heapAfterGc();

            String jfr = System.getProperty("fanout.jfr", "");
            if (!jfr.isBlank()) {
                alice.jcmd("JFR.start name=fanout settings=profile");
            }
            long[] cpuBefore = alice.cpuNanos();
            long readerBefore = subs.readerCpuNanos();
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
            for (int e = 0; e < events; e++) {
                long due = start + TimeUnit.MILLISECONDS.toNanos((long) e * intervalMs); // 0: all at once
                for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(wait); // the schedule of events, not a wait for a condition
                }
                subs.sent.set(e, System.nanoTime());
                if (intervalMs == 0) {
                    posts.add(postAsync(http, alice, token, "fanout-" + e)); // all at once: the node's own pace
                } else {
                    post(http, alice, token, "fanout-" + e);
                }
            }
            for (CompletableFuture<HttpResponse<String>> answer : posts) {
                HttpResponse<String> r = answer.get(120, TimeUnit.SECONDS);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("POST /message answered " + r.statusCode() + ": " + r.body());
                }
            }
            boolean all = subs.awaitAll(Duration.ofSeconds(120));
            long[] cpuAfter = alice.cpuNanos();
            long readerCpu = subs.readerCpuNanos() - readerBefore;
            long lastRead = subs.lastRead;
            if (!jfr.isBlank()) {
                alice.jcmd("JFR.stop name=fanout filename=" + Path.of(jfr).toAbsolutePath());
            }
            long user = cpuAfter[0] - cpuBefore[0];
            long system = cpuAfter[1] - cpuBefore[1];
            long cpu = user + system;
            subs.stop = true;
            reader.join(5_000);

            long[] latency = subs.latencies();
            long[] spread = subs.spreads();
            long delivered = latency.length;
            System.out.printf("fan-out: %,d /sse subscribers, %,d events %s, Alice's own messages to Bob%n",
                    subscribers, events, intervalMs == 0 ? "posted all at once" : "one every " + intervalMs + " ms");
            System.out.printf("  connected %,d in %.1f s; %,d of %,d deliveries arrived%s%n", subs.connected,
                    connectSeconds, delivered, (long) subscribers * events, all ? "" : " (some missing)");
            System.out.printf("  delivery latency (POST sent -> frame read)  p50=%.2f ms  p99=%.2f ms  max=%.2f ms%n",
                    pct(latency, 0.5), pct(latency, 0.99), pct(latency, 1.0));
            System.out.printf("  fan-out spread (first subscriber -> each)  p50=%.2f ms  p99=%.2f ms  max=%.2f ms%n",
                    pct(spread, 0.5), pct(spread, 0.99), pct(spread, 1.0));
            System.out.printf("  heap after GC: %,d KB before, %,d KB with them: %.1f KB per subscriber%n",
                    heapBefore / 1024, heapWith / 1024, (heapWith - heapBefore) / 1024.0 / subscribers);
            double perDelivery = delivered == 0 ? 0 : 1e3 * delivered;
            System.out.printf("  node CPU %.2f s for the events: %.2f us per delivery (user %.2f, system %.2f)%n",
                    cpu / 1e9, delivered == 0 ? 0 : cpu / perDelivery, delivered == 0 ? 0 : user / perDelivery,
                    delivered == 0 ? 0 : system / perDelivery);
            System.out.printf("  this tool's reader CPU %.2f s: %.2f us per delivery (on the same cores)%n",
                    readerCpu / 1e9, delivered == 0 ? 0 : readerCpu / perDelivery);
            double seconds = (lastRead - start) / 1e9;
            System.out.printf("  rate: %s offered, %,.0f deliveries/s arrived (%,d in %.2f s from the first POST)%n",
                    intervalMs == 0 ? "all events at once" : String.format("%,.0f deliveries/s",
                            subscribers * 1000.0 / intervalMs), delivered / seconds, delivered, seconds);
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf("  CPU bound: %d cores / (node + reader) per delivery = %,.0f deliveries/s with the cores to themselves%n",
                    cores, delivered == 0 ? 0 : cores * 1e9 / ((cpu + readerCpu) / (double) delivered));
            if (!jfr.isBlank()) {
                System.out.printf("  profile of the node during the events: %s%n", jfr);
            }
            subs.close();
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)));
        return sorted[i] / 1e6;
    }

    private static void post(HttpClient http, Service node, String token, String text) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/message"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"recipient\":\"" + Keys.BOB_PK + "\",\"message\":\"" + text + "\"}"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST /message answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static CompletableFuture<HttpResponse<String>> postAsync(HttpClient http, Service node, String token,
                                                                     String text) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/message"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"recipient\":\"" + Keys.BOB_PK + "\",\"message\":\"" + text + "\"}"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitPeer(HttpClient http, Service node, String token) {
        Pattern conns = Pattern.compile("\"active_peer_conns\"\\s*:\\s*(\\d+)");
        await("Bob connected to Alice").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/status"));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            Matcher m = conns.matcher(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
            return m.find() && Integer.parseInt(m.group(1)) > 0;
        });
    }

    /** All subscriber connections, served by one selector thread. */
    private static final class Subscribers {

        final int count;
        final int events;
        final int port;
        final String request;
        final AtomicLongArray sent;
        final long[] first;
        final long[] latency;
        final long[] spread;
        volatile int samples;
        volatile int connected;
        volatile boolean stop;
        volatile String failure;
        volatile long lastRead;
        volatile long readerThread = -1;
        final Selector selector;
        final List<SocketChannel> channels = new ArrayList<>();

        Subscribers(int count, int events, int port, String token) throws IOException {
            this.count = count;
            this.events = events;
            this.port = port;
            this.request = "GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
            this.sent = new AtomicLongArray(events);
            this.first = new long[events];
            this.latency = new long[count * events];
            this.spread = new long[count * events];
            this.selector = Selector.open();
        }

        /** Per connection: the unfinished line and whether the stream has said {@code : connected}. */
        static final class Conn {
            final byte[] line = new byte[16 * 1024];
            int len;
            boolean live;
        }

        /** CPU time of the reading thread so far (user + system). */
        long readerCpuNanos() {
            return ManagementFactory.getThreadMXBean().getThreadCpuTime(readerThread);
        }

        void run() {
            readerThread = Thread.currentThread().getId();
            ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
            byte[] bytes = new byte[buf.capacity()];
            int opened = 0;
            int pending = 0; // connections not yet streaming: opened a few hundred at a time
            try {
                while (!stop) {
                    while (opened < count && pending < 256) {
                        SocketChannel ch = SocketChannel.open();
                        ch.configureBlocking(false);
                        ch.connect(new InetSocketAddress("127.0.0.1", port));
                        ch.register(selector, SelectionKey.OP_CONNECT, new Conn());
                        channels.add(ch);
                        opened++;
                        pending++;
                    }
                    selector.select(100);
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey key = it.next();
                        it.remove();
                        SocketChannel ch = (SocketChannel) key.channel();
                        Conn c = (Conn) key.attachment();
                        if (key.isConnectable()) {
                            ch.finishConnect();
                            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                            key.interestOps(SelectionKey.OP_READ);
                            continue;
                        }
                        buf.clear();
                        int n = ch.read(buf);
                        if (n < 0) {
                            failure = "a subscriber's stream was closed by the node";
                            key.cancel();
                            continue;
                        }
                        long now = System.nanoTime();
                        buf.flip();
                        buf.get(bytes, 0, n);
                        for (int i = 0; i < n; i++) {
                            byte b = bytes[i];
                            if (b == '\n') {
                                if (line(c, now)) {
                                    pending--;
                                    connected++;
                                }
                                c.len = 0;
                            } else if (c.len < c.line.length) {
                                c.line[c.len++] = b;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                failure = e.toString();
            }
        }

        /** True when this line is the stream's {@code : connected}. */
        private boolean line(Conn c, long now) {
            if (!c.live) {
                if (c.len >= 11 && startsWith(c.line, ": connected")) {
                    c.live = true;
                    return true;
                }
                if (c.len >= 12 && startsWith(c.line, "HTTP/1.1 ") && !startsWith(c.line, "HTTP/1.1 200")) {
                    failure = new String(c.line, 0, c.len, StandardCharsets.US_ASCII);
                }
                return false;
            }
            int at = indexOf(c.line, c.len, MARKER);
            if (at < 0) {
                return false;
            }
            int e = 0;
            for (int i = at + MARKER.length; i < c.len && c.line[i] >= '0' && c.line[i] <= '9'; i++) {
                e = e * 10 + (c.line[i] - '0');
            }
            if (e >= events) {
                return false;
            }
            long t0 = sent.get(e);
            if (first[e] == 0) {
                first[e] = now;
            }
            int s = samples;
            if (s < latency.length) {
                latency[s] = now - t0;
                spread[s] = now - first[e];
                lastRead = now;
                samples = s + 1;
            }
            return false;
        }

        private static boolean startsWith(byte[] line, String prefix) {
            for (int i = 0; i < prefix.length(); i++) {
                if (line[i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private static int indexOf(byte[] hay, int len, byte[] needle) {
            outer:
            for (int i = 0; i <= len - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        void awaitConnected(Duration timeout) {
            try {
                await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (failure != null) {
                        throw new IllegalStateException("subscribing failed: " + failure);
                    }
                    return connected >= count;
                });
            } catch (ConditionTimeoutException e) {
                throw new IllegalStateException("only " + connected + " of " + count + " subscribed");
            }
        }

        boolean awaitAll(Duration timeout) {
            try {
                await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> samples >= latency.length);
            } catch (ConditionTimeoutException e) {
                // reported by the caller as the deliveries that did not arrive
            }
            return samples == latency.length;
        }

        long[] latencies() {
            long[] out = Arrays.copyOf(latency, samples);
            Arrays.sort(out);
            return out;
        }

        long[] spreads() {
            long[] out = Arrays.copyOf(spread, samples);
            Arrays.sort(out);
            return out;
        }

        void close() {
            for (SocketChannel ch : channels) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** A service JVM with the JIT a server runs with (no tiered cap), on its own ports. */
    private static final class Service implements AutoCloseable {

        final Path workDir;
        final int port = NodeProcess.freePort();
        final String[] flags;
        Process process;

        Service(Path workDir, String[] flags) {
            this.workDir = workDir;
            this.flags = flags;
        }

        Service start() throws Exception {
            Files.createDirectories(workDir);
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
            String jvm = System.getProperty("fanout.jvm", "");
            if (!jvm.isBlank() && workDir.endsWith("a")) {
                cmd.addAll(List.of(jvm.split(" "))); // e.g. a profiler for the measured node
            }
            cmd.addAll(List.of("-jar", Path.of(System.getProperty("fanout.jar", "target/skychat.jar")).toAbsolutePath().toString(),
                    "--addr", "127.0.0.1:" + port, "--management-addr", "127.0.0.1:0", "--work-dir", workDir.toString()));
            cmd.addAll(List.of(flags));
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("node.log").toFile()).start();
            HttpClient http = HttpClient.newHttpClient();
            try {
                // a loaded machine starts slowly
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the service exited");
                    }
                    try {
                        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + "/status"));
                        if (token() != null) {
                            b.header("Authorization", "Bearer " + token());
                        }
                        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false; // still starting
                    }
                });
                return this;
            } catch (RuntimeException e) {
                close(); // not left running behind a failed run
                throw new IllegalStateException("service did not start; see " + workDir.resolve("node.log"), e);
            }
        }

        String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        String token() throws IOException {
            Path file = workDir.resolve("api.token");
            return Files.isReadable(file) ? Files.readString(file).strip() : null;
        }

        /** Used heap after two full collections, from {@code jcmd GC.heap_info}. */
        long heapAfterGc() throws Exception {
            jcmd("GC.run");
            jcmd("GC.run");
            Matcher m = Pattern.compile("used (\\d+)K").matcher(jcmd("GC.heap_info"));
            if (!m.find()) {
                throw new IllegalStateException("no heap figure from jcmd");
            }
            return Long.parseLong(m.group(1)) * 1024;
        }

        String jcmd(String command) throws Exception {
            Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
            Path jcmd = java.resolveSibling("jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), command)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        }

        /** User and system CPU of the service so far, from {@code /proc/<pid>/stat}. */
        long[] cpuNanos() {
            return ProcessCpu.userAndSystem(process.pid());
        }

        @Override
        public void close() throws Exception {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
