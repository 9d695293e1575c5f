package io.skychat.feed;

import static io.skychat.feed.FeedVectors.bytes;
import static io.skychat.feed.FeedVectors.hex;
import static io.skychat.feed.FeedVectors.list;
import static io.skychat.feed.FeedVectors.number;
import static io.skychat.feed.FeedVectors.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** cxo_refs.json: the Refs Merkle layout for n = 1 … 300, every object byte for byte. */
class RefsVectorTests {

    static final JsonNode V = FeedVectors.load("cxo_refs.json");

    static Stream<JsonNode> cases() {
        return list(V, "cases").stream();
    }

    /** The vector's element rule: element i = SHA256("element-<i>"). */
    static List<Hash> elements(JsonNode c) {
        assertThat(text(c, "element_rule")).isEqualTo("element i = SHA256(ascii \"element-<i>\"), i from 0");
        List<Hash> out = new ArrayList<>();
        for (int i = 0; i < number(c, "n"); i++) {
            out.add(Hash.of(("element-" + i).getBytes(StandardCharsets.US_ASCII)));
        }
        return out;
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("cases")
    void oneShotBuildReproducesEveryObject(JsonNode c) {
        Refs refs = Refs.of(elements(c));

        assertThat(Refs.DEGREE).isEqualTo(number(V, "default_degree")).isEqualTo(number(c, "degree"));
        assertThat(refs.hash().hex()).isEqualTo(text(c, "refs_hash"));
        assertThat(refs.depth()).isEqualTo(number(c, "real_depth")).isEqualTo(number(c, "depth_field") + 1);
        List<JsonNode> expected = list(c, "objects");
        assertThat(refs.objects()).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            FeedObject o = refs.objects().get(i);
            JsonNode e = expected.get(i);
            assertThat(hex(o.bytes())).as("object %d", i).isEqualTo(text(e, "bytes"));
            assertThat(o.key().hex()).as("key %d", i).isEqualTo(text(e, "key"));
            assertThat(text(e, "kind")).isEqualTo(i == 0 ? "encodedRefs" : "encodedRefsNode");
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("cases")
    void decodedFieldsMatchTheVector(JsonNode c) {
        for (JsonNode e : list(c, "objects")) {
            JsonNode d = e.get("decoded");
            List<String> elements;
            if (text(e, "kind").equals("encodedRefs")) {
                Refs.Head head = Refs.Head.decode(bytes(e, "bytes"));
                assertThat(head.depthField()).isEqualTo(number(d, "depth_field"));
                assertThat(head.degree()).isEqualTo(number(d, "degree"));
                assertThat(head.length()).isEqualTo(number(d, "length"));
                elements = head.elements().stream().map(Hash::hex).toList();
            } else {
                Refs.Node node = Refs.Node.decode(bytes(e, "bytes"));
                assertThat(node.length()).isEqualTo(number(d, "length"));
                elements = node.elements().stream().map(Hash::hex).toList();
            }
            assertThat(elements).containsExactlyElementsOf(list(d, "elements").stream().map(JsonNode::asString).toList());
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("cases")
    void appendingOneAtATimeGivesTheSameHash(JsonNode c) {
        Refs refs = Refs.empty();
        for (Hash h : elements(c)) {
            refs = refs.append(h);
        }
        assertThat(c.get("incremental_equals_one_shot").asBoolean()).isTrue();
        assertThat(refs.hash().hex()).isEqualTo(text(c, "incremental_refs_hash")).isEqualTo(text(c, "refs_hash"));
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("cases")
    void loadingTheVectorObjectsGivesBackTheElements(JsonNode c) {
        Map<Hash, byte[]> store = new HashMap<>();
        for (JsonNode e : list(c, "objects")) {
            store.put(Hash.parse(text(e, "key")), bytes(e, "bytes"));
        }
        Refs loaded = Refs.load(Hash.parse(text(c, "refs_hash")), store::get);
        assertThat(loaded.elements()).containsExactlyElementsOf(elements(c));
    }

    @Test
    void aMissingBranchIsReportedByLoad() {
        JsonNode c = list(V, "cases").get(3); // n = 17: a root over two branches
        Map<Hash, byte[]> store = new HashMap<>();
        JsonNode root = list(c, "objects").get(0);
        store.put(Hash.parse(text(root, "key")), bytes(root, "bytes"));
        assertThatThrownBy(() -> Refs.load(Hash.parse(text(c, "refs_hash")), store::get))
                .isInstanceOf(FeedException.class).hasMessageContaining("is not held");
    }

    @Test
    void anEmptyRefsIsTheZeroHashAndNoObject() {
        assertThat(Refs.empty().hash()).isEqualTo(Hash.ZERO);
        assertThat(Refs.empty().objects()).isEmpty();
        assertThat(Refs.load(Hash.ZERO, k -> null).size()).isZero();
    }

    @Test
    void aRootWhoseLengthDisagreesWithItsBranchesIsRefused() {
        JsonNode c = list(V, "cases").get(3);
        Map<Hash, byte[]> store = new HashMap<>();
        for (JsonNode e : list(c, "objects")) {
            store.put(Hash.parse(text(e, "key")), bytes(e, "bytes"));
        }
        byte[] root = bytes(list(c, "objects").get(0), "bytes");
        root[8] = 18; // Length 17 -> 18: the last branch should now hold 2
        Hash forged = Hash.of(root);
        store.put(forged, root);
        assertThatThrownBy(() -> Refs.load(forged, store::get)).isInstanceOf(FeedException.class);
    }
}
