package io.skychat.pair;

import static io.skychat.feed.FeedVectors.bytes;
import static io.skychat.feed.FeedVectors.field;
import static io.skychat.feed.FeedVectors.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.FeedVectors;
import io.skychat.support.Fuzz;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;

/** Pair leaves come from the peer's feed: mutated ones must fail with PairException and never open. */
class PairFuzzTests {

    static final long[] SEEDS = Fuzz.SEEDS;
    static final JsonNode V = FeedVectors.load("skychat_pair.json");
    static final KeyPair A = FeedVectors.keyPair(field(field(V, "keys"), "A"));
    static final PeerKey B = FeedVectors.key(field(field(V, "keys"), "B"), "pk");
    static final byte[] STATIC_KEY = PairCipher.staticKey(A, B);
    static final Epoch EPOCH = Epoch.derive(FeedVectors.keyPair(field(field(V, "keys"), "ratchet_A")),
            FeedVectors.key(field(field(V, "keys"), "ratchet_B"), "pk"));

    static final List<byte[]> LEAVES = List.of(bytes(field(V, "legacy_message"), "sealed_leaf"),
            bytes(field(V, "epoch_message"), "envelope"));
    static final List<byte[]> JSON = List.of(utf8(text(field(V, "legacy_message"), "message_json")),
            utf8(text(V, "delete_record_json")), utf8(text(field(V, "ratchet_announce"), "json")));

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void run(String name, long seed, List<byte[]> corpus, Consumer<byte[]> target) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(4_000);
        for (int i = 0; i < n; i++) {
            byte[] input = Fuzz.next(corpus, r, 160);
            try {
                target.accept(input);
            } catch (PairException expected) {
                assertThat(expected.type()).startsWith("pair-");
            } catch (RuntimeException | Error e) {
                throw new AssertionError("input " + FeedVectors.hex(input) + " escaped as " + e, e);
            }
        }
        Fuzz.report(name, seed, n);
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void sealedLeaves(long seed) {
        run("pair leaf open", seed, LEAVES, leaf -> {
            byte[] plain = EpochEnvelope.parse(leaf).map(e -> e.open(EPOCH)).orElseGet(() -> PairCipher.open(STATIC_KEY, leaf));
            // only the genuine leaves open: Poly1305 catches every change
            assertThat(LEAVES.stream().anyMatch(l -> java.util.Arrays.equals(l, leaf)
                    || EpochEnvelope.parse(l).equals(EpochEnvelope.parse(leaf)))).as("opened %s", new String(plain)).isTrue();
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void leafJson(long seed) {
        run("pair JSON", seed, JSON, json -> {
            try {
                PairMessage.fromJson(json);
            } catch (PairException notAMessage) {
                RatchetAnnounce.fromJson(json, A.publicKey());
            }
        });
    }
}
