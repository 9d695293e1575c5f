package io.skychat.feed.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.Hash;
import io.skychat.feed.Publication;
import io.skychat.feed.SignedRoot;
import io.skychat.feed.TreeStore;
import io.skychat.feed.wire.NodeFrame;
import io.skychat.feed.wire.NodeMessage;
import io.skychat.support.Keys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-connection machine alone: frames in, frames out, against upstream's transcript shape. */
class NodeConnectionTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);

    /** A publisher of alice's feed that admits only bob, recording what the connection tells it. */
    private static class Host implements NodeConnection.Host {
        final Publication pub;
        final boolean holdsRoot;
        final List<String> events = new ArrayList<>();

        Host() {
            this(true);
        }

        /** A subscriber that holds nothing of the feed yet passes false. */
        Host(boolean holdsRoot) {
            this.holdsRoot = holdsRoot;
            TreeStore tree = new TreeStore(ALICE);
            tree.put("msgs/1", new byte[] {1});
            pub = tree.publish(1);
        }

        @Override
        public NodeMessage.Err admit(PeerKey peer, PeerKey feed) {
            return peer.equals(BOB.publicKey()) && feed.equals(ALICE.publicKey()) ? null
                    : NodeMessage.Err.subscribeRejected();
        }

        @Override
        public SignedRoot lastRoot(PeerKey feed) {
            return holdsRoot && feed.equals(ALICE.publicKey()) ? pub.root() : null;
        }

        @Override
        public byte[] object(Hash key) {
            return pub.source().get(key);
        }

        @Override
        public void opened(NodeConnection connection) {
            events.add("opened");
        }

        @Override
        public void subscribeAnswered(NodeConnection connection, PeerKey feed, NodeMessage.Err refusal) {
            events.add(refusal == null ? "ok " + feed : "refused " + refusal.error());
        }

        @Override
        public void root(NodeConnection connection, NodeMessage.Root root) {
            events.add("root " + root.seq());
        }

        @Override
        public void object(NodeConnection connection, Hash key, byte[] value, String error) {
            events.add(value == null ? "no object" : "object " + value.length);
        }
    }

    private static String shape(NodeFrame f) {
        return f.message().getClass().getSimpleName() + " " + f.seq() + "/" + f.rseq();
    }

    @Test
    void aSubscribeSessionNumbersFramesAsUpstreamsTranscript() {
        Host pubHost = new Host();
        Host subHost = new Host(false);
        NodeConnection publisher = new NodeConnection(ALICE.publicKey(), BOB.publicKey(), false, pubHost);
        NodeConnection subscriber = new NodeConnection(BOB.publicKey(), ALICE.publicKey(), true, subHost);
        List<String> wire = new ArrayList<>();

        List<NodeFrame> syn = subscriber.drain();
        syn.forEach(f -> wire.add("B " + shape(f)));
        syn.forEach(publisher::receive);
        List<NodeFrame> ack = publisher.drain();
        ack.forEach(f -> wire.add("A " + shape(f)));
        ack.forEach(subscriber::receive);
        subscriber.subscribe(ALICE.publicKey());
        List<NodeFrame> sub = subscriber.drain();
        sub.forEach(f -> wire.add("B " + shape(f)));
        sub.forEach(publisher::receive);
        List<NodeFrame> answer = publisher.drain();
        answer.forEach(f -> wire.add("A " + shape(f)));
        answer.forEach(subscriber::receive);
        long rq = subscriber.requestObject(pubHost.pub.root().root().refs().get(0).object());
        List<NodeFrame> request = subscriber.drain();
        request.forEach(f -> wire.add("B " + shape(f)));
        request.forEach(publisher::receive);
        publisher.drain().forEach(f -> {
            wire.add("A " + shape(f));
            subscriber.receive(f);
        });

        // vectors/cxo_messages.json transcript: Syn 1/0, Ack 1/1, Sub 2/0, Ok 2/2, Root 3/0, RqObject 3/0, Object 4/3
        assertThat(wire).containsExactly("B Syn 1/0", "A Ack 1/1", "B Sub 2/0", "A Ok 2/2", "A Root 3/0",
                "B RqObject 3/0", "A ObjectValue 4/3");
        assertThat(rq).isEqualTo(3);
        assertThat(subHost.events).containsExactly("opened", "ok " + ALICE.publicKey(), "root 0", "object 32");
        assertThat(publisher.remoteSubscriptions()).containsExactly(ALICE.publicKey());
    }

    /**
     * Both ends replay upstream's recorded subscribe session (vectors/cxo_messages.json "transcript") and
     * must write every frame byte for byte as upstream did, the Root push and the fill included.
     */
    @Test
    void bothEndsWriteUpstreamsTranscriptByteForByte() {
        var vectors = io.skychat.feed.FeedVectors.load("cxo_messages.json");
        java.util.HexFormat hex = java.util.HexFormat.of();
        PeerKey feedKey = PeerKey.parse(vectors.get("keys").get("feed").get("pk").asText());
        PeerKey peerKey = PeerKey.parse(vectors.get("keys").get("peer").get("pk").asText());
        List<byte[]> wires = new ArrayList<>();
        List<String> from = new ArrayList<>();
        vectors.get("transcript").forEach(step -> {
            wires.add(hex.parseHex(step.get("frame").get("wire").asText()));
            from.add(step.get("from").asText());
        });
        NodeFrame root = decode(wires.get(4));
        NodeFrame object = decode(wires.get(6));
        SignedRoot recorded = ((NodeMessage.Root) root.message()).verified();
        byte[] value = ((NodeMessage.ObjectValue) object.message()).value();
        NodeConnection.Host publisherHost = new Host() {
            @Override
            public NodeMessage.Err admit(PeerKey peer, PeerKey feed) {
                return peer.equals(peerKey) && feed.equals(feedKey) ? null : NodeMessage.Err.subscribeRejected();
            }

            @Override
            public SignedRoot lastRoot(PeerKey feed) {
                return feed.equals(feedKey) ? recorded : null;
            }

            @Override
            public byte[] object(Hash key) {
                return key.equals(Hash.of(value)) ? value : null;
            }
        };
        NodeConnection publisher = new NodeConnection(feedKey, peerKey, false, publisherHost);
        Host subscriberHost = new Host(false);
        NodeConnection subscriber = new NodeConnection(peerKey, feedKey, true, subscriberHost);

        List<byte[]> written = new ArrayList<>();
        subscriber.drain().forEach(f -> written.add(f.wire()));                       // Syn
        publisher.receive(decode(written.get(0)));
        publisher.drain().forEach(f -> written.add(f.wire()));                        // Ack
        subscriber.receive(decode(written.get(1)));
        subscriber.subscribe(feedKey);
        subscriber.drain().forEach(f -> written.add(f.wire()));                       // Sub
        publisher.receive(decode(written.get(2)));
        publisher.drain().forEach(f -> written.add(f.wire()));                        // Ok, Root
        subscriber.receive(decode(written.get(3)));
        subscriber.receive(decode(written.get(4)));
        subscriber.requestObject(recorded.root().refs().get(0).object());
        subscriber.drain().forEach(f -> written.add(f.wire()));                       // RqObject
        publisher.receive(decode(written.get(5)));
        publisher.drain().forEach(f -> written.add(f.wire()));                        // Object
        subscriber.receive(decode(written.get(6)));

        assertThat(written).hasSameSizeAs(wires);
        for (int i = 0; i < wires.size(); i++) {
            assertThat(hex.formatHex(written.get(i))).as("frame %d from the %s", i + 1, from.get(i))
                    .isEqualTo(hex.formatHex(wires.get(i)));
        }
        assertThat(subscriberHost.events).containsExactly("opened", "ok " + feedKey, "root 0",
                "object " + value.length);
    }

    private static NodeFrame decode(byte[] wire) {
        return io.skychat.feed.wire.NodeFrames.tryDecode(java.nio.ByteBuffer.wrap(wire));
    }

    @Test
    void aSubscriberHoldingTheFeedSendsItsLastRootAfterOk() {
        NodeConnection publisher = new NodeConnection(ALICE.publicKey(), BOB.publicKey(), false, new Host());
        NodeConnection subscriber = new NodeConnection(BOB.publicKey(), ALICE.publicKey(), true, new Host(true));
        subscriber.drain().forEach(publisher::receive);
        publisher.drain().forEach(subscriber::receive);
        subscriber.subscribe(ALICE.publicKey());
        subscriber.drain().forEach(publisher::receive);
        publisher.drain().forEach(subscriber::receive);
        assertThat(subscriber.drain()).extracting(f -> f.message().getClass().getSimpleName() + " " + f.rseq())
                .containsExactly("Root 0"); // upstream's sendLastRoot
    }

    @Test
    void aPingIsAnsweredWithAPongAndLateAnswersAreIgnored() {
        Host host = new Host();
        NodeConnection c = new NodeConnection(ALICE.publicKey(), BOB.publicKey(), false, host);
        c.receive(new NodeFrame(1, 0, new NodeMessage.Syn(3, BOB.publicKey())));
        c.drain();
        c.receive(new NodeFrame(2, 0, new NodeMessage.Ping()));
        assertThat(c.drain()).containsExactly(new NodeFrame(2, 2, new NodeMessage.Pong()));
        c.receive(new NodeFrame(3, 77, new NodeMessage.ObjectValue(new byte[] {1}))); // nobody asked
        c.receive(new NodeFrame(4, 0, new NodeMessage.Ok()));
        assertThat(c.drain()).isEmpty();
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void aRefusedSubscribeAndAnUnknownObjectGetUpstreamsAnswers() {
        Host host = new Host();
        NodeConnection c = new NodeConnection(ALICE.publicKey(), BOB.publicKey(), false, host);
        c.receive(new NodeFrame(1, 0, new NodeMessage.Syn(3, BOB.publicKey())));
        c.drain();
        c.receive(new NodeFrame(2, 0, new NodeMessage.Sub(BOB.publicKey())));
        c.receive(new NodeFrame(3, 0, new NodeMessage.RqObject(Hash.of(new byte[] {9}))));
        c.receive(new NodeFrame(4, 0, new NodeMessage.RqPeers(ALICE.publicKey())));
        assertThat(c.drain()).containsExactly(new NodeFrame(2, 2, new NodeMessage.Err("subscribe rejected")),
                new NodeFrame(3, 3, new NodeMessage.Err("")), new NodeFrame(4, 4, new NodeMessage.Err("not in swarm")));
    }

    @Test
    void aSecondSynIsAProtocolError() {
        NodeConnection c = new NodeConnection(ALICE.publicKey(), BOB.publicKey(), false, new Host());
        c.receive(new NodeFrame(1, 0, new NodeMessage.Syn(3, BOB.publicKey())));
        assertThatThrownBy(() -> c.receive(new NodeFrame(2, 0, new NodeMessage.Syn(3, BOB.publicKey()))))
                .isInstanceOf(NodeConnection.NodeProtocolException.class);
        assertThat(c.state()).isEqualTo(NodeConnection.State.CLOSED);
    }

    @Test
    void anAckFromAnotherKeyThanTheTransportProvedIsRefused() {
        NodeConnection c = new NodeConnection(BOB.publicKey(), ALICE.publicKey(), true, new Host());
        c.drain();
        assertThatThrownBy(() -> c.receive(new NodeFrame(1, 1, new NodeMessage.Ack(BOB.publicKey()))))
                .isInstanceOf(NodeConnection.NodeProtocolException.class).hasMessageContaining("authenticated");
    }
}
