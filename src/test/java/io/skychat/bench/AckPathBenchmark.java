package io.skychat.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.netty.channel.embedded.EmbeddedChannel;
import io.skychat.crypto.NoiseHandshake;
import io.skychat.transport.codec.ChatFrameCodec;
import io.skychat.transport.codec.NoiseHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Keys;
import io.skychat.support.NodeProcess;
import io.skychat.support.RawNoiseClient;

/**
 * The receiving side's ack path alone, without HTTP: Bob is a real service process (persistence on, its
 * store on disk), Alice is a bare Noise client in this process on a blocking socket over TCP-direct. Each
 * sample is one chat-msg asking for an ack, timed from its write until Bob's chat-ack is read, so it
 * measures frame in, decrypt, decode, Bob's store commit, ack out. Two modes in one run: sequential (one
 * message at a time: p50/p99) and pipelined (a window of unacked messages in flight: acked msg/s). Not a
 * test; run with {@code java -cp … io.skychat.bench.AckPathBenchmark [messages] [size] [window]}.
 *
 * <p>{@link Pipeline} is the same path's CPU and allocation inside one process, for JMH
 * ({@code bench/jmh.sh -prof gc AckPathBenchmark}): a chat-msg written through a TCP-direct pipeline (chat
 * framing, Noise) and read back through the peer's, as Netty runs it, without sockets.
 */
public final class AckPathBenchmark {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Path dir = Files.createTempDirectory("skychat-ack-path");
        int bobTcp = NodeProcess.freePort();
        String[] flags = {"--standalone", "--sk", Keys.BOB_SK, "--tcp-listen", "127.0.0.1:" + bobTcp,
                "--persist-per-peer-rate", "0", "--persist-per-peer-cap", "1000000", "--persist-total-cap", "1GB",
                "--persist-max-size", "65536", "--skychat.limits.peer-rate.per-second=1000000",
                "--skychat.limits.peer-rate.burst=1000000"};
        KeyPair alice = KeyPair.fromSecretHex(Keys.ALICE_SK);
        String text = "x".repeat(size);
        try (NodeProcess bob = new NodeProcess(dir.resolve("b"), NodeProcess.freePort(), flags).start();
             RawNoiseClient link = RawNoiseClient.handshake(bobTcp, alice, PeerKey.parse(Keys.BOB_PK))) {
            for (int i = 0; i < 500; i++) { // warm-up: JIT, page cache
                roundTrip(link, text);
            }
            long[] latency = new long[messages];
            for (int i = 0; i < messages; i++) {
                latency[i] = roundTrip(link, text);
            }
            Arrays.sort(latency);
            System.out.printf("ack path: %,d messages of %d bytes, Alice (raw Noise client) -> Bob (service) over"
                    + " tcp-direct, persistence on%n", messages, size);
            System.out.printf("  sequential  p50=%.3f ms  p99=%.3f ms  p99.9=%.3f ms  max=%.3f ms%n",
                    latency[messages / 2] / 1e6, latency[(int) (messages * 0.99)] / 1e6,
                    latency[(int) (messages * 0.999)] / 1e6, latency[messages - 1] / 1e6);
            double rate = pipelined(link, text, messages, window);
            System.out.printf("  pipelined   window %d: %.0f acked msg/s%n", window, rate);
        }
    }

    private static long roundTrip(RawNoiseClient link, String text) throws Exception {
        MessageId id = MessageId.random();
        byte[] frame = link.sealChat(new Envelope.ChatMsg(id, text, true, null));
        long start = System.nanoTime();
        link.write(frame);
        Envelope back = link.readEnvelope();
        long took = System.nanoTime() - start;
        if (!(back instanceof Envelope.ChatAck ack) || !ack.id().equals(id)) {
            throw new IllegalStateException("expected the ack for " + id + ", got " + back);
        }
        return took;
    }

    /** Two TCP-direct pipelines (frame decoder, Noise, chat framing) joined back to back on embedded channels. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    public static class Pipeline {

        @Param({"100", "4000"})
        int size;

        private EmbeddedChannel alice;
        private EmbeddedChannel bob;
        private Envelope.ChatMsg message;

        @Setup(Level.Trial)
        public void setUp() {
            KeyPair a = KeyPair.generate();
            KeyPair b = KeyPair.generate();
            alice = channel(NoiseHandshake.xkInitiator(a, b.publicKey()));
            bob = channel(NoiseHandshake.xkResponder(b));
            for (int i = 0; i < 10 && !(handshaken(alice) && handshaken(bob)); i++) {
                pump(alice, bob);
                pump(bob, alice);
            }
            if (!handshaken(alice) || !handshaken(bob)) {
                throw new IllegalStateException("handshake did not complete");
            }
            message = new Envelope.ChatMsg(MessageId.random(), "x".repeat(size), true, null);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            alice.finishAndReleaseAll();
            bob.finishAndReleaseAll();
        }

        private static EmbeddedChannel channel(NoiseHandshake handshake) {
            EmbeddedChannel ch = new EmbeddedChannel();
            ch.pipeline().addLast(NoiseHandler.frameDecoder(), new NoiseHandler(handshake, Runnable::run),
                    new ChatFrameCodec());
            ch.pipeline().fireChannelActive();
            ch.runPendingTasks();
            return ch;
        }

        private static boolean handshaken(EmbeddedChannel ch) {
            return ch.pipeline().get(NoiseHandler.class).handshakeFuture().isSuccess();
        }

        private static void pump(EmbeddedChannel from, EmbeddedChannel to) {
            from.runPendingTasks();
            Object out;
            while ((out = from.readOutbound()) != null) {
                to.writeInbound(out);
            }
            to.runPendingTasks();
        }

        /** Alice writes a chat-msg; Bob reads it as an envelope. */
        @Benchmark
        public Object chatMsgThroughBothPipelines() {
            alice.writeOutbound(message);
            Object out;
            while ((out = alice.readOutbound()) != null) {
                bob.writeInbound(out);
            }
            return bob.readInbound();
        }
    }

    /** Keeps {@code window} messages unacked; acks come back in order on one link. */
    private static double pipelined(RawNoiseClient link, String text, int messages, int window) throws Exception {
        ArrayDeque<MessageId> inFlight = new ArrayDeque<>();
        long start = System.nanoTime();
        int sent = 0;
        int acked = 0;
        while (acked < messages) {
            while (sent < messages && inFlight.size() < window) {
                MessageId id = MessageId.random();
                link.write(link.sealChat(new Envelope.ChatMsg(id, text, true, null)));
                inFlight.addLast(id);
                sent++;
            }
            Envelope back = link.readEnvelope();
            if (!(back instanceof Envelope.ChatAck ack) || !ack.id().equals(inFlight.pollFirst())) {
                throw new IllegalStateException("acks out of order: got " + back);
            }
            acked++;
        }
        return messages / ((System.nanoTime() - start) / 1e9);
    }
}
