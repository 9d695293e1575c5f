package io.skychat.feed;

import static io.skychat.feed.FeedVectors.bytes;
import static io.skychat.feed.FeedVectors.field;
import static io.skychat.feed.FeedVectors.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.skychat.core.PeerKey;
import io.skychat.feed.wire.NodeCodec;
import io.skychat.feed.wire.NodeFrames;
import io.skychat.support.Fuzz;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;

/**
 * What a peer controls: frames, messages, Root values and objects. Truncations, bit flips and splices of
 * the vectors' genuine bytes must either decode or fail with {@link FeedException}, nothing else.
 */
class FeedFuzzTests {

    static final long[] SEEDS = Fuzz.SEEDS;

    /**
     * Genuine inputs, made on first use rather than when the class loads: under JAZZER_FUZZ the feed
     * classes must load after Jazzer's agent, or they are not instrumented.
     */
    private static final class Corpus {

        static final JsonNode MESSAGES = FeedVectors.load("cxo_messages.json");
        static final List<JsonNode> PUBLISHES = list(FeedVectors.load("cxo_treestore.json"), "publishes");
        static final PeerKey FEED = FeedVectors.key(field(field(MESSAGES, "keys"), "feed"), "pk");

        static final List<byte[]> WIRES = new ArrayList<>();
        static final List<byte[]> ENCODED = new ArrayList<>();
        static final List<byte[]> ROOTS = new ArrayList<>();
        static final List<byte[]> OBJECTS = new ArrayList<>();
        static final Map<Hash, byte[]> STORE = new HashMap<>();

        static {
            List<JsonNode> frames = new ArrayList<>(list(MESSAGES, "messages"));
            list(MESSAGES, "transcript").forEach(t -> frames.add(field(t, "frame")));
            for (JsonNode f : frames) {
                WIRES.add(bytes(f, "wire"));
                ENCODED.add(bytes(f, "msg_encode"));
            }
            for (JsonNode p : PUBLISHES) {
                ROOTS.add(bytes(p, "root_encode"));
                WIRES.add(bytes(field(p, "msg_root"), "wire"));
                for (JsonNode o : list(p, "objects")) {
                    OBJECTS.add(bytes(o, "bytes"));
                    STORE.put(Hash.parse(FeedVectors.text(o, "key")), bytes(o, "bytes"));
                }
            }
        }
    }

    static void onlyFeedExceptions(byte[] input, Consumer<byte[]> target) {
        try {
            target.accept(input);
        } catch (FeedException expected) {
            assertThat(expected.type()).startsWith("feed-");
        } catch (RuntimeException | Error e) {
            throw new AssertionError("input " + FeedVectors.hex(input) + " escaped as " + e, e);
        }
    }

    static void run(String name, long seed, List<byte[]> corpus, Consumer<byte[]> target) {
        corpus.forEach(target); // the oracle accepts every genuine input
        mutations(name, seed, corpus, target);
    }

    static void mutations(String name, long seed, List<byte[]> corpus, Consumer<byte[]> target) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(8_000);
        for (int i = 0; i < n; i++) {
            onlyFeedExceptions(Fuzz.next(corpus, r, 200), target);
        }
        Fuzz.report(name, seed, n);
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void frames(long seed) {
        run("NodeFrames.tryDecode", seed, Corpus.WIRES, FeedFuzzTests::readFrames);
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void messages(long seed) {
        run("NodeCodec.decode", seed, Corpus.ENCODED, b -> {
            byte[] again = NodeCodec.encode(NodeCodec.decode(b));
            // what decodes must re-encode to the same bytes, or two peers would disagree on a message
            assertThat(again).isEqualTo(b);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void roots(long seed) {
        run("Root.decode", seed, Corpus.ROOTS, b -> {
            assertThat(Root.decode(b).encode()).isEqualTo(b);
            // a Root that decodes is accepted only with the signature made over exactly its bytes
            FeedException refused = null;
            for (int i = 0; i < Corpus.ROOTS.size(); i++) {
                try {
                    SignedRoot.received(Corpus.FEED, b, bytes(Corpus.PUBLISHES.get(i), "root_sig"));
                    assertThat(b).isEqualTo(Corpus.ROOTS.get(i));
                    return;
                } catch (FeedException e) {
                    refused = e;
                }
            }
            throw refused;
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void objects(long seed) {
        mutations("object decoders", seed, Corpus.OBJECTS, FeedFuzzTests::walkObject);
    }

    /** Coverage-guided with Jazzer: {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=FeedFuzzTests#frameStream}. */
    @FuzzTest(maxDuration = "60s")
    void frameStream(byte[] input) {
        onlyFeedExceptions(input, FeedFuzzTests::readFrames);
    }

    /** Coverage-guided with Jazzer: {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=FeedFuzzTests#object}. */
    @FuzzTest(maxDuration = "60s")
    void object(byte[] input) {
        onlyFeedExceptions(input, FeedFuzzTests::walkObject);
    }

    static void readFrames(byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b);
        while (NodeFrames.tryDecode(in) != null) {
            // keep reading: a splice may hold several frames
        }
    }

    static void walkObject(byte[] b) {
        for (Consumer<byte[]> decoder : List.<Consumer<byte[]>>of(TreeEntry::decode, Refs.Head::decode,
                Refs.Node::decode)) {
            try {
                decoder.accept(b);
            } catch (FeedException wrongKind) {
                // each object is only one of the three kinds
            }
        }
        // a subscriber walking a tree whose top level is these bytes, the rest genuine
        byte[] topNode = Hash.of(b).bytes();
        Map<Hash, byte[]> store = new HashMap<>(Corpus.STORE);
        store.put(Hash.of(b), b);
        store.put(Hash.of(topNode), topNode);
        TreeWalk.walk(Hash.of(topNode), store::get);
    }
}
