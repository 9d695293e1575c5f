package io.skychat.feed.node;

import io.skychat.core.PeerKey;
import io.skychat.feed.wire.NodeFrame;

/**
 * One authenticated byte stream to a peer, as a transport gives it to {@link FeedNode#attach}: the key the
 * transport's handshake proved, and a way to send frames. Sends never block and are dropped once closed.
 */
public interface NodeLink {

    /** The remote static key the transport authenticated. */
    PeerKey peer();

    /** True on the side that opened the stream: it sends the Syn. */
    boolean dialer();

    void send(NodeFrame frame);

    void close();

    /** What a transport feeds back into the node for this link. */
    interface Inbound {

        /** Raw stream bytes as they arrive, in any chunking; frames are reassembled here. */
        void bytes(byte[] chunk);

        /** The stream ended; the node forgets the connection. */
        void closed();
    }
}
