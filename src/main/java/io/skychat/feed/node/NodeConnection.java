package io.skychat.feed.node;

import io.skychat.core.PeerKey;
import io.skychat.feed.Hash;
import io.skychat.feed.SignedRoot;
import io.skychat.feed.wire.NodeCodec;
import io.skychat.feed.wire.NodeFrame;
import io.skychat.feed.wire.NodeMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node protocol of one connection (upstream {@code node/conn.go}, {@code handshake.go}) as a state
 * machine with no I/O: {@link #receive} takes each decoded frame, the other methods start requests, and
 * every frame to send collects in {@link #drain()}. What needs the node's feeds goes through {@link Host}.
 * Not thread-safe: the node calls it from its one queue.
 */
final class NodeConnection {

    /** What the connection needs from the node that owns it. */
    interface Host {

        /** null when {@code peer} may subscribe to {@code feed} here, else the Err to answer. */
        NodeMessage.Err admit(PeerKey peer, PeerKey feed);

        /** The newest Root this node holds for {@code feed}, or null. */
        SignedRoot lastRoot(PeerKey feed);

        /** An object's bytes, or null when this node does not hold it. */
        byte[] object(Hash key);

        void opened(NodeConnection connection);

        /** The peer answered our Sub: {@code refusal} is null for Ok. */
        void subscribeAnswered(NodeConnection connection, PeerKey feed, NodeMessage.Err refusal);

        void root(NodeConnection connection, NodeMessage.Root root);

        /** The answer to our RqObject for {@code key}: {@code value} is null when the peer sent Err. */
        void object(NodeConnection connection, Hash key, byte[] value, String error);
    }

    enum State { AWAIT_SYN, AWAIT_ACK, OPEN, CLOSED }

    private sealed interface Pending {
    }

    private record SynSent() implements Pending {
    }

    private record SubSent(PeerKey feed) implements Pending {
    }

    private record ObjectRequested(Hash key) implements Pending {
    }

    private record PingSent() implements Pending {
    }

    private final PeerKey self;
    private final PeerKey peer;
    private final boolean dialer;
    private final Host host;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Set<PeerKey> remoteSubscriptions = new LinkedHashSet<>();
    private final List<NodeFrame> out = new ArrayList<>();
    private State state;
    private boolean opened;
    private long seq;

    NodeConnection(PeerKey self, PeerKey peer, boolean dialer, Host host) {
        this.self = self;
        this.peer = peer;
        this.dialer = dialer;
        this.host = host;
        this.state = dialer ? State.AWAIT_ACK : State.AWAIT_SYN;
        if (dialer) {
            pending.put(send(0, new NodeMessage.Syn(NodeCodec.PROTOCOL_VERSION, self)), new SynSent());
        }
    }

    PeerKey peer() {
        return peer;
    }

    boolean dialer() {
        return dialer;
    }

    State state() {
        return state;
    }

    /** True once the handshake completed, even if the connection has closed since. */
    boolean wasOpened() {
        return opened;
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    /** Feeds the peer subscribed to on this connection. */
    Set<PeerKey> remoteSubscriptions() {
        return Collections.unmodifiableSet(remoteSubscriptions);
    }

    /** The peer may no longer follow {@code feed} here (its allowlist changed). */
    void dropRemoteSubscription(PeerKey feed) {
        remoteSubscriptions.remove(feed);
    }

    int pendingRequests() {
        return pending.size();
    }

    /** Frames to send, in order, since the last call. */
    List<NodeFrame> drain() {
        if (out.isEmpty()) {
            return List.of();
        }
        List<NodeFrame> frames = List.copyOf(out);
        out.clear();
        return frames;
    }

    /**
     * Handles one frame from the peer. A violation of the protocol throws {@link NodeProtocolException}:
     * the caller sends what {@link #drain()} holds (an Err, perhaps) and closes the connection.
     */
    void receive(NodeFrame frame) {
        NodeMessage m = frame.message();
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.AWAIT_SYN) {
            acceptSyn(frame);
            return;
        }
        if (state == State.AWAIT_ACK) {
            acceptAck(frame);
            return;
        }
        Pending request = frame.rseq() == 0 ? null : pending.remove(frame.rseq());
        if (request != null) {
            answered(request, m);
            return;
        }
        if (m instanceof NodeMessage.Sub s) {
            handleSub(frame.seq(), s.feed());
        } else if (m instanceof NodeMessage.Unsub u) {
            remoteSubscriptions.remove(u.feed());
        } else if (m instanceof NodeMessage.Root r) {
            host.root(this, r);
        } else if (m instanceof NodeMessage.RqObject r) {
            byte[] value = host.object(r.key());
            // upstream waits ResponseTimeout for an object it may still be filling, then sends an empty Err
            send(frame.seq(), value == null ? new NodeMessage.Err("") : new NodeMessage.ObjectValue(value));
        } else if (m instanceof NodeMessage.RqPreview p) {
            SignedRoot last = host.admit(peer, p.feed()) == null ? host.lastRoot(p.feed()) : null;
            send(frame.seq(), last == null ? NodeMessage.Err.subscribeRejected() : NodeMessage.Root.of(last));
        } else if (m instanceof NodeMessage.RqList) {
            send(frame.seq(), new NodeMessage.Err("not a public server"));
        } else if (m instanceof NodeMessage.RqPeers) {
            send(frame.seq(), NodeMessage.Err.notInSwarm());
        } else if (m instanceof NodeMessage.Ping) {
            send(frame.seq(), new NodeMessage.Pong());
        } else if (m instanceof NodeMessage.Syn) {
            throw protocol("a second Syn on an open connection");
        } else if (m instanceof NodeMessage.Ack) {
            throw protocol("an Ack on an open connection");
        }
        // anything else is a late answer to a request given up on (Pong, Object, Err, Ok, List, Peers):
        // upstream ignores those too
    }

    /** Asks the peer for {@code feed}; the answer reaches {@link Host#subscribeAnswered}. */
    void subscribe(PeerKey feed) {
        requireOpen();
        pending.put(send(0, new NodeMessage.Sub(feed)), new SubSent(feed));
    }

    void unsubscribe(PeerKey feed) {
        if (isOpen()) {
            send(0, new NodeMessage.Unsub(feed));
        }
    }

    /** Pushes a Root (rseq 0), as a publisher does to its subscribers. */
    void push(SignedRoot root) {
        requireOpen();
        send(0, NodeMessage.Root.of(root));
    }

    /** Requests an object; the answer reaches {@link Host#object}. Returns the request's seq. */
    long requestObject(Hash key) {
        requireOpen();
        long s = send(0, new NodeMessage.RqObject(key));
        pending.put(s, new ObjectRequested(key));
        return s;
    }

    /** Forgets an object request, so a late answer is ignored. */
    void cancelRequest(long requestSeq) {
        pending.remove(requestSeq);
    }

    void ping() {
        if (isOpen()) {
            pending.put(send(0, new NodeMessage.Ping()), new PingSent());
        }
    }

    void close() {
        state = State.CLOSED;
        pending.clear();
        remoteSubscriptions.clear();
    }

    private void acceptSyn(NodeFrame frame) {
        if (!(frame.message() instanceof NodeMessage.Syn syn)) {
            throw protocol("expected Syn, got " + frame.message().getClass().getSimpleName());
        }
        if (syn.protocol() != NodeCodec.PROTOCOL_VERSION) {
            send(frame.seq(), NodeMessage.Err.incompatibleVersion(syn.protocol()));
            throw protocol("protocol version " + syn.protocol());
        }
        if (!syn.nodeId().equals(peer)) {
            // the node id decides who may subscribe: it must be the key the transport proved
            send(frame.seq(), new NodeMessage.Err("node id does not match the authenticated key"));
            throw protocol("Syn names node " + syn.nodeId() + " but the transport authenticated " + peer);
        }
        send(frame.seq(), new NodeMessage.Ack(self));
        state = State.OPEN;
        opened = true;
        host.opened(this);
    }

    private void acceptAck(NodeFrame frame) {
        Pending p = pending.get(frame.rseq());
        if (!(p instanceof SynSent)) {
            throw protocol("expected the answer to our Syn, got rseq " + frame.rseq());
        }
        pending.remove(frame.rseq());
        if (frame.message() instanceof NodeMessage.Ack ack) {
            if (!ack.nodeId().equals(peer)) {
                throw protocol("Ack names node " + ack.nodeId() + " but the transport authenticated " + peer);
            }
            state = State.OPEN;
            opened = true;
            host.opened(this);
        } else if (frame.message() instanceof NodeMessage.Err err) {
            throw protocol("handshake refused: " + err.error());
        } else {
            throw protocol("expected Ack, got " + frame.message().getClass().getSimpleName());
        }
    }

    private void handleSub(long requestSeq, PeerKey feed) {
        if (remoteSubscriptions.contains(feed)) {
            send(requestSeq, new NodeMessage.Ok());
            return;
        }
        NodeMessage.Err refusal = host.admit(peer, feed);
        if (refusal != null) {
            send(requestSeq, refusal);
            return;
        }
        remoteSubscriptions.add(feed);
        send(requestSeq, new NodeMessage.Ok());
        SignedRoot last = host.lastRoot(feed);
        if (last != null) {
            send(0, NodeMessage.Root.of(last));
        }
    }

    private void answered(Pending request, NodeMessage m) {
        if (request instanceof SubSent sub) {
            if (m instanceof NodeMessage.Ok) {
                host.subscribeAnswered(this, sub.feed(), null);
                SignedRoot mine = host.lastRoot(sub.feed());
                if (mine != null) {
                    send(0, NodeMessage.Root.of(mine)); // upstream's sendLastRoot after Ok
                }
            } else if (m instanceof NodeMessage.Err e) {
                host.subscribeAnswered(this, sub.feed(), e);
            } else {
                throw protocol("Sub answered with " + m.getClass().getSimpleName());
            }
        } else if (request instanceof ObjectRequested o) {
            if (m instanceof NodeMessage.ObjectValue v) {
                host.object(this, o.key(), v.value(), null);
            } else if (m instanceof NodeMessage.Err e) {
                host.object(this, o.key(), null, e.error());
            } else {
                throw protocol("RqObject answered with " + m.getClass().getSimpleName());
            }
        } else if (request instanceof SynSent) {
            throw protocol("a second answer to the Syn");
        }
        // PingSent: the Pong's arrival already counted as activity
    }

    private long send(long rseq, NodeMessage m) {
        long s = ++seq & 0xffff_ffffL;
        if (s == 0) {
            s = seq = 1; // u32 wrap; 0 means "no request"
        }
        out.add(new NodeFrame(s, rseq, m));
        return s;
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("connection with " + peer + " is " + state);
        }
    }

    private NodeProtocolException protocol(String why) {
        state = State.CLOSED;
        return new NodeProtocolException(why);
    }

    @Override
    public String toString() {
        return (dialer ? "→ " : "← ") + peer + " " + state;
    }

    /** The peer broke the protocol; the connection must close. */
    static final class NodeProtocolException extends RuntimeException {
        NodeProtocolException(String message) {
            super(message, null, false, false);
        }
    }
}
