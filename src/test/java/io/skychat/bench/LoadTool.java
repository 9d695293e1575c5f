package io.skychat.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.skychat.support.Keys;
import io.skychat.support.NodeProcess;

/**
 * End-to-end load over TCP-direct between two real service processes on loopback: W workers each send
 * messages from Alice to Bob through {@code POST /message} with {@code wait_ms}, so every sample is a
 * full round trip (HTTP, outbox write, Noise, Bob's store write, chat-ack back). Prints throughput and
 * ack-latency percentiles. Not a test; run with {@code bench/load.sh [messages] [workers] [size]}.
 */
public final class LoadTool {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path dir = Files.createTempDirectory("skychat-load");
        int aliceTcp = NodeProcess.freePort();
        int aliceHttp = NodeProcess.freePort();
        // Rate limits are for hostile peers; a load test measures the machinery, so lift them.
        String[] open = {"--persist-per-peer-rate", "0", "--persist-per-peer-cap", "1000000", "--persist-total-cap", "1GB",
                "--persist-max-size", "65536", "--skychat.limits.peer-rate.per-second=1000000",
                "--skychat.limits.peer-rate.burst=1000000"};
        try (NodeProcess alice = new NodeProcess(dir.resolve("a"), aliceHttp, concat(open, "--standalone", "--sk",
                Keys.ALICE_SK, "--tcp-listen", "127.0.0.1:" + aliceTcp)).start();
             NodeProcess bob = new NodeProcess(dir.resolve("b"), NodeProcess.freePort(), concat(open, "--standalone",
                     "--sk", Keys.BOB_SK, "--tcp-peer", "tcp://" + Keys.ALICE_PK + "@127.0.0.1:" + aliceTcp)).start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String token = token(alice.workDir());
            String body = "{\"recipient\":\"" + Keys.BOB_PK + "\",\"message\":\"" + "x".repeat(size) + "\",\"wait_ms\":30000}";
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(alice.baseUrl() + "/message"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpRequest req = request.build();
            for (int i = 0; i < 200; i++) { // warm-up: links, JIT, page cache
                http.send(req, HttpResponse.BodyHandlers.discarding());
            }
            long[] latency = new long[messages];
            AtomicInteger next = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            long start = System.nanoTime();
            Future<?>[] running = new Future<?>[workers];
            for (int w = 0; w < workers; w++) {
                running[w] = pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < messages) {
                        long s = System.nanoTime();
                        try {
                            if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                        latency[i] = System.nanoTime() - s;
                    }
                    return null;
                });
            }
            for (Future<?> f : running) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            Arrays.sort(latency);
            System.out.printf("load: %,d messages of %d bytes, %d workers, Alice -> Bob over tcp-direct, each acked%n",
                    messages, size, workers);
            System.out.printf("  throughput %.0f msg/s over %.1f s, %d not acked%n", messages / seconds, seconds, failed.get());
            System.out.printf("  ack latency p50=%.2f ms  p99=%.2f ms  p99.9=%.2f ms  max=%.2f ms%n",
                    latency[messages / 2] / 1e6, latency[(int) (messages * 0.99)] / 1e6,
                    latency[(int) (messages * 0.999)] / 1e6, latency[messages - 1] / 1e6);
        }
    }

    private static String token(Path workDir) throws java.io.IOException {
        Path file = workDir.resolve("api.token");
        return Files.isReadable(file) ? Files.readString(file).strip() : null;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
