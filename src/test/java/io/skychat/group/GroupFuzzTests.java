package io.skychat.group;

import static io.skychat.group.GroupFixtures.ALICE;
import static io.skychat.group.GroupFixtures.BOB;
import static io.skychat.group.GroupFixtures.CAROL;
import static io.skychat.group.GroupFixtures.GROUP;
import static io.skychat.group.GroupFixtures.NOW;
import static io.skychat.group.GroupFixtures.NOW_NANO;
import static org.assertj.core.api.Assertions.assertThat;

import io.skychat.support.Fuzz;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Everything a group reads comes from other members' feeds, relay streams or a pasted link: mutated input must
 * be refused with a GroupException, and whatever still verifies must say exactly what was signed.
 */
class GroupFuzzTests {

    static final long[] SEEDS = Fuzz.SEEDS;
    static final GroupKey KEY = GroupKey.random(0);
    static final GroupLeaf PLAIN = GroupLeaf.signed(ALICE, NOW_NANO, "hello group");
    static final GroupLeaf SEALED = GroupLeaf.sealed(ALICE, NOW_NANO, "hello private group", KEY);
    static final Mutation ADD = Mutation.add(ALICE, GROUP, CAROL.publicKey(), NOW_NANO);
    static final KeyMutation ROTATION = KeyMutation.rotate(ALICE, GROUP, 1, GroupKey.random(1),
            List.of(BOB.publicKey(), CAROL.publicKey()), 0, NOW_NANO);
    static final Governance START = Governance.create(GROUP, ALICE.publicKey(), GroupKind.PRIVATE, List.of(BOB.publicKey()));

    static void run(String name, long seed, List<byte[]> corpus, Consumer<byte[]> target) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(2_000);
        for (int i = 0; i < n; i++) {
            byte[] input = Fuzz.next(corpus, r, 160);
            try {
                target.accept(input);
            } catch (GroupException expected) {
                assertThat(expected.type()).startsWith("group-");
                assertThat(expected.getMessage()).isNotBlank();
            } catch (RuntimeException | Error e) {
                throw new AssertionError("input " + HexFormat.of().formatHex(input) + " escaped as " + e, e);
            }
        }
        Fuzz.report(name, seed, n);
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void messageLeaves(long seed) {
        run("group leaf", seed, List.of(PLAIN.toJson(), SEALED.toJson()), json -> {
            GroupLeaf leaf = GroupLeaf.fromJson(json);
            leaf.verify();
            String text = KeyRing.of(KEY).open(leaf);
            assertThat(leaf).isIn(PLAIN, SEALED);
            assertThat(text).isIn("hello group", "hello private group");
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void governanceLeaves(long seed) {
        byte[] sealedAdd = GossipSeal.seal(KEY, ADD.toJson());
        run("group governance", seed, List.of(ADD.toJson(), ROTATION.toJson(), sealedAdd), body -> {
            byte[] json = GossipSeal.open(KeyRing.of(KEY), body);
            try {
                Mutation m = Mutation.fromJson(Mutation.Kind.ROSTER, json);
                Governance after = START.apply(m, ALICE.publicKey(), NOW);
                assertThat(m).isEqualTo(ADD);
                assertThat(after.members()).contains(CAROL.publicKey());
            } catch (GroupException notARosterLeaf) {
                KeyMutation k = KeyMutation.fromJson(json);
                START.apply(k, NOW);
                assertThat(k.wraps()).containsExactlyInAnyOrderElementsOf(ROTATION.wraps());
                assertThat(k.epoch()).isEqualTo(1);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void joinFrames(long seed) {
        List<byte[]> corpus = List.of(JoinRequest.solved(GROUP, BOB.publicKey(), "let me in", 4, NOW).toJson(),
                JoinResponse.admitted(GROUP, "ops", GroupKind.PRIVATE, Optional.of(KEY), List.of(ALICE.publicKey()),
                        List.of(ALICE.publicKey())).toJson(),
                JoinResponse.info(GROUP, "ops", GroupKind.CHANNEL, 41234).toJson(), START.toJson());
        run("group join frames", seed, corpus, json -> {
            switch (JoinRequest.frameKind(json)) {
                case JoinRequest.KIND -> JoinRequest.fromJson(json).checkPow(BOB.publicKey(), 4, NOW);
                case JoinResponse.KIND -> JoinResponse.fromJson(json).key();
                default -> Governance.fromJson(json);
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void inviteLinksAndAddresses(long seed) {
        Invite invite = new Invite(GROUP, "ops", ALICE.publicKey(), 41234, GroupKind.PRIVATE, List.of(BOB.publicKey()), 18);
        List<byte[]> corpus = List.of(InviteLinks.encode(invite).getBytes(StandardCharsets.US_ASCII),
                ("skychat://" + ALICE.publicKey().hex() + "/" + GROUP.value()).getBytes(StandardCharsets.US_ASCII));
        run("group invite links", seed, corpus, bytes -> {
            String s = new String(bytes, StandardCharsets.UTF_8);
            if (InviteLinks.looksLikeInvite(s)) {
                InviteLinks.decode(s);
            } else {
                GroupAddress.parse(s);
            }
        });
    }
}
