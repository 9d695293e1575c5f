package io.skychat.feed.node;

import io.skychat.core.PeerKey;
import io.skychat.feed.wire.NodeFrame;
import java.util.Arrays;
import java.util.Random;

/**
 * Two nodes joined by an in-memory stream of bytes, no sockets: each frame's wire bytes are cut into
 * random chunks (and chunks of consecutive frames may join), as Noise frames would deliver them.
 */
final class Pipe {

    private final End dialer;
    private final End acceptor;
    private final Random random = new Random(7);
    private volatile boolean cut;

    private Pipe(FeedNode dialing, FeedNode accepting) {
        dialer = new End(accepting.id(), true);
        acceptor = new End(dialing.id(), false);
        dialer.other = acceptor;
        acceptor.other = dialer;
        acceptor.attachTo(accepting);
        dialer.attachTo(dialing);
    }

    static Pipe connect(FeedNode dialing, FeedNode accepting) {
        return new Pipe(dialing, accepting);
    }

    /** Both ends see the stream end, as when the network goes away. */
    void cut() {
        if (cut) {
            return;
        }
        cut = true;
        dialer.ended();
        acceptor.ended();
    }

    boolean isCut() {
        return cut;
    }

    private final class End implements NodeLink {
        final PeerKey peer;
        final boolean dialer;
        End other;
        NodeLink.Inbound inbound;

        /** Bytes that arrived while attach() had not returned yet (the node sends its Syn inside it). */
        private final java.util.List<byte[]> early = new java.util.ArrayList<>();

        End(PeerKey peer, boolean dialer) {
            this.peer = peer;
            this.dialer = dialer;
        }

        void attachTo(FeedNode node) {
            NodeLink.Inbound in = node.attach(this);
            inbound = in;
            java.util.List<byte[]> waiting = java.util.List.copyOf(early);
            early.clear();
            waiting.forEach(in::bytes);
            if (cut) {
                in.closed(); // the node refused the link while attach() was still running
            }
        }

        void ended() {
            if (inbound != null) {
                inbound.closed();
            }
        }

        void deliver(byte[] chunk) {
            if (inbound == null) {
                early.add(chunk);
            } else {
                inbound.bytes(chunk);
            }
        }

        @Override
        public PeerKey peer() {
            return peer;
        }

        @Override
        public boolean dialer() {
            return dialer;
        }

        @Override
        public void send(NodeFrame frame) {
            if (cut) {
                return;
            }
            byte[] wire = frame.wire();
            int off = 0;
            while (off < wire.length && !cut) {
                int n = Math.min(wire.length - off, 1 + random.nextInt(64));
                other.deliver(Arrays.copyOfRange(wire, off, off + n));
                off += n;
            }
        }

        @Override
        public void close() {
            cut();
        }
    }
}
