package io.skychat.feed;

import static io.skychat.feed.FeedVectors.bytes;
import static io.skychat.feed.FeedVectors.field;
import static io.skychat.feed.FeedVectors.hex;
import static io.skychat.feed.FeedVectors.list;
import static io.skychat.feed.FeedVectors.number;
import static io.skychat.feed.FeedVectors.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.wire.NodeFrame;
import io.skychat.feed.wire.NodeMessage;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** cxo_treestore.json: the treestore registry, then publishes seq 0 and seq 1 of one feed, byte for byte. */
class TreeStoreVectorTests {

    static final JsonNode V = FeedVectors.load("cxo_treestore.json");
    static final JsonNode REGISTRY = field(V, "registry");
    static final List<JsonNode> PUBLISHES = list(V, "publishes");

    static KeyPair feed() {
        return FeedVectors.keyPair(field(V, "feed_key"));
    }

    /** Applies a publish's mutations: its puts, then the delete its note names (publish 1). */
    static void apply(TreeStore store, JsonNode publish) {
        for (JsonNode m : list(publish, "mutations")) {
            store.put(text(m, "path"), text(m, "value_utf8").getBytes(StandardCharsets.UTF_8));
        }
        Matcher delete = Pattern.compile("Delete\\(\"([^\"]+)\"\\)").matcher(text(publish, "mutations_note"));
        while (delete.find()) {
            assertThat(store.delete(delete.group(1))).isTrue();
        }
    }

    /** Both publishes, in order, from one store, as the generator made them. */
    static List<Publication> publishAll() {
        TreeStore store = new TreeStore(feed());
        return PUBLISHES.stream().map(p -> {
            apply(store, p);
            return store.publish(number(field(p, "root_fields"), "time"));
        }).toList();
    }

    @Test
    void theRegistryAndBothSchemasAreByteExact() {
        assertThat(hex(TreeSchemas.REGISTRY.encode())).isEqualTo(text(REGISTRY, "encode"));
        assertThat(TreeSchemas.REGISTRY_REF.hex()).isEqualTo(text(REGISTRY, "reference"));
        for (JsonNode s : list(REGISTRY, "schemas")) {
            Schema schema = TreeSchemas.REGISTRY.schema(text(s, "name"));
            assertThat(hex(schema.encode())).as(schema.name()).isEqualTo(text(s, "encode"));
            assertThat(schema.reference().hex()).isEqualTo(text(s, "reference"));
            List<JsonNode> fields = list(s, "fields");
            assertThat(schema.fields()).hasSize(fields.size());
            for (int i = 0; i < fields.size(); i++) {
                Schema.Field f = schema.fields().get(i);
                JsonNode e = fields.get(i);
                assertThat(f.name()).isEqualTo(text(e, "name"));
                assertThat(f.tag()).isEqualTo(text(e, "tag_utf8"));
                assertThat(hex(f.encode())).isEqualTo(text(e, "bytes"));
                assertThat(hex(f.schema().encode())).isEqualTo(text(e, "schema_bytes"));
                assertThat(f.schema().kind()).isEqualTo(number(field(e, "schema_decoded"), "kind"));
            }
        }
    }

    @Test
    void eachPublishReproducesTheRootAndEveryObject() {
        List<Publication> published = publishAll();
        for (int p = 0; p < PUBLISHES.size(); p++) {
            JsonNode v = PUBLISHES.get(p);
            SignedRoot root = published.get(p).root();
            JsonNode fields = field(v, "root_fields");

            assertThat(root.root().seq()).isEqualTo(number(fields, "seq"));
            assertThat(root.root().nonce()).isEqualTo(number(fields, "nonce"));
            assertThat(root.root().prev().hex()).isEqualTo(text(fields, "prev"));
            assertThat(root.root().reg().hex()).isEqualTo(text(fields, "reg"));
            assertThat(root.root().pub().hex()).isEqualTo(text(fields, "pub"));
            assertThat(hex(root.root().descriptor())).isEqualTo(text(fields, "descriptor_hex"));
            assertThat(root.root().refs()).hasSize(1);
            assertThat(root.root().refs().get(0).object().hex()).isEqualTo(text(list(fields, "refs").get(0), "hash"));
            assertThat(root.root().refs().get(0).schema().hex()).isEqualTo(text(list(fields, "refs").get(0), "schema"));
            assertThat(hex(root.value())).as("publish %d root", p).isEqualTo(text(v, "root_encode"));
            assertThat(root.value()).hasSize(193);
            assertThat(root.hash().hex()).isEqualTo(text(v, "root_hash"));

            List<JsonNode> expected = list(v, "objects");
            List<FeedObject> objects = published.get(p).objects();
            assertThat(objects).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                JsonNode e = expected.get(i);
                assertThat(objects.get(i).key().hex()).as("publish %d object %d", p, i).isEqualTo(text(e, "key"));
                assertThat(hex(objects.get(i).bytes())).isEqualTo(text(e, "bytes"));
                boolean fresh = published.get(p).fresh().contains(objects.get(i));
                assertThat(fresh).as("publish %d object %d new", p, i).isEqualTo(e.get("new_in_this_publish").asBoolean());
            }
        }
    }

    @Test
    void everyObjectDecodesToTheVectorsFields() {
        for (JsonNode v : PUBLISHES) {
            for (JsonNode e : list(v, "objects")) {
                JsonNode d = field(e, "decoded");
                byte[] b = bytes(e, "bytes");
                switch (text(e, "kind")) {
                    case "TreeNode" -> {
                        TreeNode node = TreeNode.decode(b);
                        assertThat(node.children().hex()).isEqualTo(text(d, "children_refs_hash"));
                        assertThat(node.object().key().hex()).isEqualTo(text(e, "key"));
                    }
                    case "encodedRefs" -> assertThat(Refs.Head.decode(b).length()).isEqualTo(number(d, "length"));
                    case "encodedRefsNode" -> assertThat(Refs.Node.decode(b).length()).isEqualTo(number(d, "length"));
                    case "TreeEntry" -> {
                        TreeEntry entry = TreeEntry.decode(b);
                        assertThat(entry.name()).isEqualTo(text(d, "name"));
                        assertThat(entry.sub().hex()).isEqualTo(text(d, "sub"));
                        assertThat(hex(entry.leaf())).isEqualTo(text(d, "leaf_hex"));
                        assertThat(hex(entry.encode())).isEqualTo(text(e, "bytes"));
                    }
                    default -> throw new AssertionError("unknown kind " + text(e, "kind"));
                }
            }
        }
    }

    @Test
    void theVectorSignaturesVerifyAndOursDoToo() {
        List<Publication> published = publishAll();
        PeerKey pub = feed().publicKey();
        SignedRoot previous = null;
        for (int p = 0; p < PUBLISHES.size(); p++) {
            JsonNode v = PUBLISHES.get(p);
            SignedRoot theirs = SignedRoot.received(pub, bytes(v, "root_encode"), bytes(v, "root_sig"));
            SignedRoot ours = SignedRoot.received(pub, published.get(p).root().value(), published.get(p).root().sig());
            assertThat(theirs.hash().hex()).isEqualTo(text(v, "root_hash"));
            assertThat(ours.root()).isEqualTo(theirs.root());
            theirs.checkFollows(previous);
            previous = theirs;
        }
    }

    @Test
    void theRootMessageIsTheVectorFrame() {
        for (JsonNode v : PUBLISHES) {
            JsonNode m = field(v, "msg_root");
            Root root = Root.decode(bytes(v, "root_encode"));
            NodeFrame frame = new NodeFrame(number(m, "seq"), number(m, "rseq"), new NodeMessage.Root(root.pub(),
                    root.nonce(), root.seq(), bytes(v, "root_encode"), bytes(v, "root_sig")));
            assertThat(hex(frame.wire())).isEqualTo(text(m, "wire"));
            assertThat(hex(frame.payload())).isEqualTo(text(m, "payload"));
        }
    }

    @Test
    void aSubscriberReadsTheSameTreeBackAndKnowsWhatItLacks() {
        List<Publication> published = publishAll();
        Root second = published.get(1).root().root();
        TreeWalk.Result full = TreeWalk.walk(second, published.get(1).source());
        assertThat(full.complete()).isTrue();
        Map<String, String> leaves = new LinkedHashMap<>();
        full.leaves().forEach((k, b) -> leaves.put(k, new String(b, StandardCharsets.UTF_8)));
        assertThat(leaves).containsKeys("msgs/0000000000000000018-000018", "ratchet/1", "roster/1")
                .doesNotContainKey("admin/1").hasSize(1 + 1 + 17 + 2);

        // holding only what publish 0 left, the walk asks for exactly the new objects it can see so far
        Map<Hash, byte[]> held = new HashMap<>();
        published.get(0).objects().forEach(o -> held.put(o.key(), o.bytes()));
        TreeWalk.Result partial = TreeWalk.walk(second, held::get);
        assertThat(partial.complete()).isFalse();
        assertThat(partial.missing()).containsExactly(second.refs().get(0).object());
    }
}
