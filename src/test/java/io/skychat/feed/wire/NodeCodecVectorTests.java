package io.skychat.feed.wire;

import static io.skychat.feed.FeedVectors.bytes;
import static io.skychat.feed.FeedVectors.field;
import static io.skychat.feed.FeedVectors.hex;
import static io.skychat.feed.FeedVectors.key;
import static io.skychat.feed.FeedVectors.list;
import static io.skychat.feed.FeedVectors.number;
import static io.skychat.feed.FeedVectors.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import io.skychat.feed.FeedException;
import io.skychat.feed.FeedVectors;
import io.skychat.feed.Hash;
import io.skychat.feed.SignedRoot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** cxo_messages.json: every node message type as Encode(), payload and wire frame, and one subscribe session. */
class NodeCodecVectorTests {

    static final JsonNode V = FeedVectors.load("cxo_messages.json");
    static final PeerKey FEED = key(field(field(V, "keys"), "feed"), "pk");
    static final PeerKey PEER = key(field(field(V, "keys"), "peer"), "pk");

    static Stream<JsonNode> messages() {
        return list(V, "messages").stream();
    }

    /** Every message and transcript frame of the vectors, for the fuzz tests too. */
    static List<JsonNode> allFrames() {
        List<JsonNode> out = new ArrayList<>(list(V, "messages"));
        list(V, "transcript").forEach(t -> out.add(field(t, "frame")));
        return out;
    }

    /** The messages built by hand from the vector's keys and texts, so encoding is checked, not just echoed. */
    static final Map<String, NodeMessage> BUILT = Map.ofEntries(
            Map.entry("Ping", new NodeMessage.Ping()),
            Map.entry("Pong", new NodeMessage.Pong()),
            Map.entry("Syn", new NodeMessage.Syn(NodeCodec.PROTOCOL_VERSION, PEER)),
            Map.entry("Ack", new NodeMessage.Ack(FEED)),
            Map.entry("Ok", new NodeMessage.Ok()),
            Map.entry("Err", NodeMessage.Err.subscribeRejected()),
            Map.entry("Err-empty", new NodeMessage.Err("")),
            Map.entry("Err-version", NodeMessage.Err.incompatibleVersion(2)),
            Map.entry("Err-not-in-swarm", NodeMessage.Err.notInSwarm()),
            Map.entry("Sub", new NodeMessage.Sub(FEED)),
            Map.entry("Unsub", new NodeMessage.Unsub(FEED)),
            Map.entry("RqList", new NodeMessage.RqList()),
            Map.entry("List", new NodeMessage.FeedList(List.of(FEED, PEER))),
            Map.entry("List-empty", new NodeMessage.FeedList(List.of())),
            Map.entry("RqPreview", new NodeMessage.RqPreview(FEED)),
            Map.entry("RqPeers", new NodeMessage.RqPeers(FEED)),
            Map.entry("Peers", new NodeMessage.Peers(FEED, List.of(new NodeMessage.PeerInfo(PEER,
                    "meta".getBytes(StandardCharsets.UTF_8), "127.0.0.1:8870", "")))),
            Map.entry("Peers-empty", new NodeMessage.Peers(FEED, List.of())));

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void decodeThenEncodeIsByteExact(JsonNode m) {
        NodeMessage decoded = NodeCodec.decode(bytes(m, "msg_encode"));
        assertThat(decoded.type()).isEqualTo(number(m, "type"));
        assertThat(hex(NodeCodec.encode(decoded))).isEqualTo(text(m, "msg_encode"));
        assertThat(text(m, "msg_encode")).isEqualTo(String.format("%02x", number(m, "type")) + text(m, "encoder_body"));

        NodeFrame frame = NodeCodec.decodePayload(bytes(m, "payload"));
        assertThat(frame.seq()).isEqualTo(number(m, "seq"));
        assertThat(frame.rseq()).isEqualTo(number(m, "rseq"));
        assertThat(frame.message()).isEqualTo(decoded);
        assertThat(hex(frame.payload())).isEqualTo(text(m, "payload"));
        assertThat(hex(frame.wire())).isEqualTo(text(m, "wire"));
        assertThat(frame.wire()).hasSize((int) number(m, "wire_len"));
        assertThat(ByteBuffer.wrap(frame.wire()).getInt()).isEqualTo(number(m, "length_prefix_be"));
    }

    @Test
    void messagesBuiltFromTheirFieldsEncodeAsUpstream() {
        List<JsonNode> vectors = list(V, "messages");
        for (JsonNode m : vectors) {
            NodeMessage built = BUILT.get(text(m, "name"));
            if (built == null) {
                continue; // RqObject and Object: built in theSubscribeTranscript from cxo_treestore.json values
            }
            assertThat(hex(NodeCodec.encode(built))).as(text(m, "name")).isEqualTo(text(m, "msg_encode"));
            assertThat(NodeCodec.decode(bytes(m, "msg_encode"))).isEqualTo(built);
        }
        assertThat(vectors.stream().map(m -> number(m, "type")).distinct()).hasSize(16 - 1); // Root: transcript
    }

    @Test
    void theSubscribeTranscriptDecodesFrameByFrameFromOneStream() {
        List<JsonNode> transcript = list(V, "transcript");
        ByteBuffer stream = ByteBuffer.allocate(4096);
        for (JsonNode t : transcript) {
            stream.put(bytes(field(t, "frame"), "wire"));
        }
        stream.flip();
        List<NodeFrame> frames = new ArrayList<>();
        NodeFrame f;
        while ((f = NodeFrames.tryDecode(stream)) != null) {
            frames.add(f);
        }
        assertThat(stream.hasRemaining()).isFalse();
        assertThat(frames).extracting(x -> x.message().getClass().getSimpleName())
                .containsExactly("Syn", "Ack", "Sub", "Ok", "Root", "RqObject", "ObjectValue");
        for (int i = 0; i < frames.size(); i++) {
            JsonNode frame = field(transcript.get(i), "frame");
            assertThat(frames.get(i).seq()).isEqualTo(number(frame, "seq"));
            assertThat(frames.get(i).rseq()).isEqualTo(number(frame, "rseq"));
            assertThat(hex(frames.get(i).wire())).isEqualTo(text(frame, "wire"));
        }
        assertThat(frames.get(0).message()).isEqualTo(new NodeMessage.Syn(3, PEER));
        assertThat(frames.get(1).message()).isEqualTo(new NodeMessage.Ack(FEED));
        assertThat(frames.get(1).rseq()).isEqualTo(frames.get(0).seq());

        // the pushed Root verifies for the feed, and the object answered hashes to the key asked for
        NodeMessage.Root root = (NodeMessage.Root) frames.get(4).message();
        SignedRoot signed = root.verified();
        assertThat(NodeMessage.Root.of(signed)).isEqualTo(root);
        assertThat(signed.root().seq()).isEqualTo(root.seq());
        Hash asked = ((NodeMessage.RqObject) frames.get(5).message()).key();
        assertThat(asked).isEqualTo(signed.root().refs().get(0).object());
        assertThat(Hash.of(((NodeMessage.ObjectValue) frames.get(6).message()).value())).isEqualTo(asked);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void everyStrictPrefixOfAFrameNeedsMore(JsonNode m) {
        byte[] wire = bytes(m, "wire");
        for (int n = 0; n < wire.length; n++) {
            ByteBuffer partial = ByteBuffer.wrap(wire, 0, n);
            assertThat(NodeFrames.tryDecode(partial)).as("%d of %d bytes", n, wire.length).isNull();
            assertThat(partial.position()).isZero();
        }
    }

    @Test
    void anOversizedOrTooShortLengthFailsFromTheHeaderAlone() {
        for (int length : new int[] {0, 8, NodeFrames.MAX_PAYLOAD + 1, -1}) {
            ByteBuffer header = ByteBuffer.allocate(4).putInt(length).flip();
            assertThatThrownBy(() -> NodeFrames.tryDecode(header)).isInstanceOf(FeedException.class)
                    .extracting(e -> ((FeedException) e).type()).isEqualTo("feed-frame-length");
        }
        ByteBuffer small = ByteBuffer.allocate(4).putInt(1000).flip();
        assertThatThrownBy(() -> NodeFrames.tryDecode(small, 999)).isInstanceOf(FeedException.class);
    }

    @Test
    void unknownTypesAndLeftoversAreRefused() {
        for (int type : new int[] {0, 17, 255}) {
            assertThatThrownBy(() -> NodeCodec.decode(new byte[] {(byte) type})).isInstanceOf(FeedException.class)
                    .extracting(e -> ((FeedException) e).type()).isEqualTo("feed-unknown-message");
        }
        assertThatThrownBy(() -> NodeCodec.decode(new byte[] {1, 0})).isInstanceOf(FeedException.class)
                .hasMessageContaining("incomplete decoding");
        assertThatThrownBy(() -> NodeCodec.decode(new byte[0])).isInstanceOf(FeedException.class);
    }

    @Test
    void aRootMessageWhoseHeadDisagreesWithItsValueIsRefused() {
        NodeMessage.Root genuine = (NodeMessage.Root) NodeCodec.decode(
                bytes(field(list(V, "transcript").get(4), "frame"), "msg_encode"));
        NodeMessage.Root lying = new NodeMessage.Root(genuine.feed(), genuine.nonce(), genuine.seq() + 5,
                genuine.value(), genuine.sig());
        assertThatThrownBy(lying::verified).isInstanceOf(FeedException.class)
                .extracting(e -> ((FeedException) e).type()).isEqualTo("feed-malformed");
        NodeMessage.Root otherFeed = new NodeMessage.Root(PEER, genuine.nonce(), genuine.seq(), genuine.value(),
                genuine.sig());
        assertThatThrownBy(otherFeed::verified).isInstanceOf(FeedException.class)
                .extracting(e -> ((FeedException) e).type()).isEqualTo("feed-wrong-feed");
    }

    @Test
    void aBlankFeedIsRefused() {
        byte[] sub = new byte[34];
        sub[0] = 7;
        assertThatThrownBy(() -> NodeCodec.decode(sub)).isInstanceOf(FeedException.class)
                .extracting(e -> ((FeedException) e).type()).isEqualTo("feed-malformed");
    }
}
