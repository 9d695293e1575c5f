package io.skychat.bench;

import java.util.concurrent.TimeUnit;

import io.skychat.crypto.KeyPair;
import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseException;
import io.skychat.crypto.NoiseHandshake;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The CPU a new link costs: a complete Noise XK handshake, both sides, with fresh ephemeral keys. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HandshakeBenchmarks {

    private final KeyPair alice = KeyPair.generate();
    private final KeyPair bob = KeyPair.generate();

    @Benchmark
    public NoiseCipher xkHandshake() throws NoiseException {
        NoiseHandshake i = NoiseHandshake.xkInitiator(alice, bob.publicKey());
        NoiseHandshake r = NoiseHandshake.xkResponder(bob);
        r.readMessage(i.writeMessage());
        i.readMessage(r.writeMessage());
        r.readMessage(i.writeMessage());
        r.split();
        return i.split();
    }
}
