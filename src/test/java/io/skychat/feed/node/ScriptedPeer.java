package io.skychat.feed.node;

import io.skychat.core.PeerKey;
import io.skychat.feed.FeedObject;
import io.skychat.feed.ObjectSource;
import io.skychat.feed.wire.NodeCodec;
import io.skychat.feed.wire.NodeFrame;
import io.skychat.feed.wire.NodeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A hand-driven peer for the bad-input tests: it answers the handshake and Subs as a publisher would and
 * serves objects from {@link #source}, through {@link #objectReply} which a test may spoil; anything else
 * it is told to send goes out as raw frames or bytes.
 */
final class ScriptedPeer implements NodeLink {

    final PeerKey self;
    final List<NodeFrame> received = new CopyOnWriteArrayList<>();
    NodeLink.Inbound node;
    ObjectSource source = key -> null;
    /** Turns the true object bytes into what is sent; null means "do not answer". */
    UnaryOperator<byte[]> objectReply = b -> b;
    boolean closed;
    private final boolean nodeDials;
    private long seq;

    private ScriptedPeer(PeerKey self, boolean nodeDials) {
        this.self = self;
        this.nodeDials = nodeDials;
    }

    /** A peer the node dialled: it waits for the node's Syn and answers it. */
    static ScriptedPeer dialledBy(FeedNode node, PeerKey as) {
        ScriptedPeer p = new ScriptedPeer(as, true);
        return p.attached(node.attach(p.asSeenByNode()));
    }

    /** A peer that dialled the node, authenticated as {@code as}; the test sends the Syn. */
    static ScriptedPeer dialling(FeedNode node, PeerKey as) {
        ScriptedPeer p = new ScriptedPeer(as, false);
        return p.attached(node.attach(p.asSeenByNode()));
    }

    private NodeLink asSeenByNode() {
        ScriptedPeer me = this;
        return new NodeLink() {
            @Override
            public PeerKey peer() {
                return self;
            }

            @Override
            public boolean dialer() {
                return nodeDials;
            }

            @Override
            public void send(NodeFrame frame) {
                me.fromNode(frame);
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    @Override
    public PeerKey peer() {
        return self;
    }

    @Override
    public boolean dialer() {
        return !nodeDials;
    }

    private final List<byte[]> early = new ArrayList<>();

    @Override
    public void send(NodeFrame frame) {
        sendBytes(frame.wire());
    }

    @Override
    public void close() {
        closed = true;
    }

    long nextSeq() {
        return ++seq;
    }

    void send(long rseq, NodeMessage m) {
        send(new NodeFrame(nextSeq(), rseq, m));
    }

    void sendBytes(byte[] raw) {
        if (node == null) {
            early.add(raw); // the node sent its Syn inside attach(), before it returned
        } else {
            node.bytes(raw);
        }
    }

    private ScriptedPeer attached(NodeLink.Inbound in) {
        node = in;
        List<byte[]> waiting = List.copyOf(early);
        early.clear();
        waiting.forEach(in::bytes);
        return this;
    }

    List<NodeMessage> messages() {
        List<NodeMessage> out = new ArrayList<>();
        received.forEach(f -> out.add(f.message()));
        return out;
    }

    private void fromNode(NodeFrame frame) {
        received.add(frame);
        if (closed) {
            return;
        }
        NodeMessage m = frame.message();
        if (m instanceof NodeMessage.Syn) {
            send(frame.seq(), new NodeMessage.Ack(self));
        } else if (m instanceof NodeMessage.Sub) {
            send(frame.seq(), new NodeMessage.Ok());
        } else if (m instanceof NodeMessage.RqObject rq) {
            byte[] value = source.get(rq.key());
            if (value == null) {
                send(frame.seq(), new NodeMessage.Err(""));
                return;
            }
            byte[] reply = objectReply.apply(value);
            if (reply != null) {
                send(frame.seq(), new NodeMessage.ObjectValue(reply));
            }
        }
    }

    static NodeFrame syn(PeerKey id, int version) {
        return new NodeFrame(1, 0, new NodeMessage.Syn(version, id));
    }

    static int version() {
        return NodeCodec.PROTOCOL_VERSION;
    }

    static FeedObject object(byte[] b) {
        return FeedObject.of(b);
    }
}
