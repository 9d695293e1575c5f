package io.skychat.bench;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.group.GroupId;
import io.skychat.group.GroupKey;
import io.skychat.group.GroupLeaf;
import io.skychat.group.JoinPow;
import io.skychat.group.KeyMutation;
import io.skychat.group.Mutation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU a group costs per artefact: signing and checking a message leaf, opening a private body, checking a
 * roster change, a key rotation for 20 members and one member opening it, and the join proof of work at the
 * default 18 bits (a fresh timestamp per solve, so the mean is over many puzzles). Run with
 * {@code bench/jmh.sh GroupBenchmarks}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Thread)
public class GroupBenchmarks {

    private final GroupId group = GroupId.parse("72afa409-8b2e-4323-aa1e-8be57f30ebd5");
    private KeyPair alice;
    private PeerKey bob;
    private GroupKey key;
    private GroupLeaf signed;
    private GroupLeaf sealed;
    private Mutation mutation;
    private List<KeyPair> members;
    private KeyMutation rotation;
    private long ts = 1_796_140_800L;

    @Setup(Level.Trial)
    public void setUp() {
        alice = KeyPair.generate();
        bob = KeyPair.generate().publicKey();
        key = GroupKey.random(0);
        signed = GroupLeaf.signed(alice, 1_796_140_800_000_000_000L, "x".repeat(200));
        sealed = GroupLeaf.sealed(alice, 1_796_140_800_000_000_000L, "x".repeat(200), key);
        mutation = Mutation.add(alice, group, bob, 1_796_140_800_000_000_000L);
        members = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            members.add(KeyPair.generate());
        }
        rotation = rotate();
    }

    private KeyMutation rotate() {
        return KeyMutation.rotate(alice, group, 1, GroupKey.random(1), members.stream().map(KeyPair::publicKey).toList(), 0,
                1_796_140_800_000_000_000L);
    }

    @Benchmark
    public GroupLeaf leafSign() {
        return GroupLeaf.signed(alice, 1_796_140_800_000_000_000L, "x".repeat(200));
    }

    @Benchmark
    public GroupLeaf leafVerify() {
        signed.verify();
        return signed;
    }

    @Benchmark
    public String sealedLeafOpen() {
        return sealed.open(key);
    }

    @Benchmark
    public Mutation mutationVerify() {
        mutation.verify();
        return mutation;
    }

    @Benchmark
    public KeyMutation rotationFor20() {
        return rotate();
    }

    @Benchmark
    public Object rotationOpenByLastMember() {
        return rotation.openFor(members.get(members.size() - 1));
    }

    @Benchmark
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 5)
    public long joinPow18Bits() {
        return JoinPow.solve(group, bob, ts++, JoinPow.DEFAULT_BITS);
    }
}
