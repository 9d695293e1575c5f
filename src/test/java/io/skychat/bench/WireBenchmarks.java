package io.skychat.bench;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseException;
import io.skychat.crypto.NoiseFraming;
import io.skychat.crypto.NoiseHandshake;
import io.skychat.transport.codec.ChatFrames;
import io.skychat.transport.codec.EnvelopeCodec;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-message CPU cost on the wire path: envelope JSON, chat framing, Noise sealing and opening, and a
 * whole XK handshake. Run with {@code bench/jmh.sh}; results go to docs/benchmarks.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class WireBenchmarks {

    @Param({"32", "1024", "60000"})
    int size;

    private Envelope.ChatMsg message;
    private byte[] payload;
    private NoiseCipher sender;
    private NoiseCipher receiver;
    private KeyPair alice;
    private KeyPair bob;

    @Setup(Level.Trial)
    public void setUp() throws NoiseException {
        message = new Envelope.ChatMsg(MessageId.random(), "x".repeat(size), true, null);
        payload = EnvelopeCodec.encode(message);
        alice = KeyPair.generate();
        bob = KeyPair.generate();
        NoiseHandshake i = NoiseHandshake.xkInitiator(alice, bob.publicKey());
        NoiseHandshake r = NoiseHandshake.xkResponder(bob);
        r.readMessage(i.writeMessage());
        i.readMessage(r.writeMessage());
        r.readMessage(i.writeMessage());
        sender = i.split();
        receiver = r.split();
    }

    @Benchmark
    public Envelope envelopeRoundTrip() {
        return EnvelopeCodec.decode(EnvelopeCodec.encode(message));
    }

    @Benchmark
    public byte[] chatFrameRoundTrip() {
        return ChatFrames.tryDecode(ByteBuffer.wrap(ChatFrames.encode(payload)));
    }

    /** Seal a whole chat frame (split into ≤ 4070-byte noise frames) and open every frame again. */
    @Benchmark
    public int noiseSealAndOpen() throws NoiseException {
        List<byte[]> frames = NoiseFraming.sealAll(sender, ChatFrames.encode(payload));
        int n = 0;
        for (byte[] f : frames) {
            byte[] body = new byte[f.length - 2];
            System.arraycopy(f, 2, body, 0, body.length);
            n += receiver.open(body).length;
        }
        return n;
    }
}
