package io.skychat.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Keys;
import io.skychat.support.NodeProcess;
import io.skychat.transport.dmsg.TestDiscovery;
import io.skychat.transport.dmsg.TestDmsgServer;

/**
 * Sequential acked round trips, Alice → Bob, over TCP-direct and over dmsg through a loopback dmsg relay, in
 * the same run between the same two service processes: each sample is one {@code POST /message} with
 * {@code network} set and {@code wait_ms}, timed from the request to the acked answer. The relay and
 * discovery run in this process. Prints p50/p99 per network. Not a test; run with
 * {@code bench/relay-latency.sh [messages] [size]}.
 */
public final class RelayLatencyTool {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path dir = Files.createTempDirectory("skychat-relay-latency");
        int aliceTcp = NodeProcess.freePort();
        String[] open = {"--persist-per-peer-rate", "0", "--persist-per-peer-cap", "1000000", "--persist-total-cap", "1GB",
                "--skychat.limits.peer-rate.per-second=1000000", "--skychat.limits.peer-rate.burst=1000000"};
        KeyPair serverKey = KeyPair.deterministic("skychat relay latency server".getBytes(StandardCharsets.UTF_8));
        try (TestDiscovery discovery = TestDiscovery.start();
             TestDmsgServer relay = new TestDmsgServer(serverKey, discovery).start();
             NodeProcess alice = new NodeProcess(dir.resolve("a"), NodeProcess.freePort(), concat(open, "--standalone",
                     "--sk", Keys.ALICE_SK, "--tcp-listen", "127.0.0.1:" + aliceTcp, "--dmsg", "--dmsg-disc",
                     discovery.url())).start();
             NodeProcess bob = new NodeProcess(dir.resolve("b"), NodeProcess.freePort(), concat(open, "--standalone",
                     "--sk", Keys.BOB_SK, "--tcp-peer", "tcp://" + Keys.ALICE_PK + "@127.0.0.1:" + aliceTcp, "--dmsg",
                     "--dmsg-disc", discovery.url())).start()) {
            org.awaitility.Awaitility.await("both nodes on the relay").atMost(Duration.ofSeconds(60))
                    .until(() -> relay.hasSession(PeerKey.parse(Keys.ALICE_PK)) && relay.hasSession(PeerKey.parse(Keys.BOB_PK)));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String token = token(alice.workDir());
            String[] networks = {"tcp-direct", "dmsg"};
            long[][] samples = new long[networks.length][];
            for (int n = 0; n < networks.length; n++) {
                HttpRequest req = request(alice.baseUrl(), token, networks[n], size);
                for (int i = 0; i < 100; i++) { // warm-up: links, JIT, page cache
                    http.send(req, HttpResponse.BodyHandlers.discarding());
                }
            }
            int[] failed = new int[networks.length];
            HttpRequest[] reqs = new HttpRequest[networks.length];
            for (int n = 0; n < networks.length; n++) {
                reqs[n] = request(alice.baseUrl(), token, networks[n], size);
                samples[n] = new long[messages];
            }
            // interleaved, so both networks see the same machine load and JIT state
            for (int i = 0; i < messages; i++) {
                for (int n = 0; n < networks.length; n++) {
                    long s = System.nanoTime();
                    HttpResponse<String> r = http.send(reqs[n], HttpResponse.BodyHandlers.ofString());
                    samples[n][i] = System.nanoTime() - s;
                    if (r.statusCode() != 200 || !r.body().contains("\"acked\":true")
                            || !r.body().contains("\"network\":\"" + networks[n] + "\"")) {
                        failed[n]++;
                    }
                }
            }
            for (long[] l : samples) {
                Arrays.sort(l);
            }
            System.out.printf("relay latency: %,d sequential acked messages of %d bytes per network, Alice -> Bob%n",
                    messages, size);
            for (int n = 0; n < networks.length; n++) {
                long[] l = samples[n];
                System.out.printf("  %-10s p50=%.2f ms  p99=%.2f ms  max=%.2f ms  not acked=%d%n", networks[n],
                        l[messages / 2] / 1e6, l[(int) (messages * 0.99)] / 1e6, l[messages - 1] / 1e6, failed[n]);
            }
        }
    }

    private static HttpRequest request(String baseUrl, String token, String network, int size) {
        String body = "{\"recipient\":\"" + Keys.BOB_PK + "\",\"message\":\"" + "x".repeat(size)
                + "\",\"network\":\"" + network + "\",\"wait_ms\":30000}";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/message"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
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
