package io.skychat.feed.wire;

import io.skychat.core.PeerKey;
import io.skychat.feed.FeedException;
import io.skychat.feed.Hash;
import io.skychat.feed.SignedRoot;
import java.util.Arrays;
import java.util.List;

/**
 * The CXO node messages (upstream {@code pkg/cxo/node/msg}, protocol version 3). Each encodes as one type
 * byte followed by the skycoin encoding of its fields; see {@link NodeCodec}.
 */
public sealed interface NodeMessage {

    /** The message's type byte. */
    int type();

    record Ping() implements NodeMessage {
        public int type() {
            return NodeCodec.PING;
        }
    }

    record Pong() implements NodeMessage {
        public int type() {
            return NodeCodec.PONG;
        }
    }

    /** The dialer's first message. */
    record Syn(int protocol, PeerKey nodeId) implements NodeMessage {
        public Syn {
            if (protocol < 0 || protocol > 0xffff || nodeId == null) {
                throw new IllegalArgumentException("protocol is a u16 and the node id is required");
            }
        }

        public int type() {
            return NodeCodec.SYN;
        }
    }

    /** The acceptor's answer to a Syn of the right version. */
    record Ack(PeerKey nodeId) implements NodeMessage {
        public Ack {
            NodeCodec.require(nodeId);
        }

        public int type() {
            return NodeCodec.ACK;
        }
    }

    record Ok() implements NodeMessage {
        public int type() {
            return NodeCodec.OK;
        }
    }

    /** A refusal; the text may be empty (an object not served in time). */
    record Err(String error) implements NodeMessage {
        public Err {
            NodeCodec.require(error);
        }

        /** The acceptor's answer to a Syn of another protocol version (upstream acceptHandshake). */
        public static Err incompatibleVersion(int got) {
            return new Err("incompatible protocol version: " + got + ", want " + NodeCodec.PROTOCOL_VERSION);
        }

        /** The treestore allowlist's answer, the same whatever the feed, so it cannot be probed. */
        public static Err subscribeRejected() {
            return new Err("subscribe rejected");
        }

        /** A listed peer asking for a feed this node does not share (upstream handleSub). */
        public static Err feedNotShared() {
            return new Err("do not share the feed");
        }

        public static Err notInSwarm() {
            return new Err("not in swarm");
        }

        public int type() {
            return NodeCodec.ERR;
        }
    }

    record Sub(PeerKey feed) implements NodeMessage {
        public Sub {
            NodeCodec.require(feed);
        }

        public int type() {
            return NodeCodec.SUB;
        }
    }

    record Unsub(PeerKey feed) implements NodeMessage {
        public Unsub {
            NodeCodec.require(feed);
        }

        public int type() {
            return NodeCodec.UNSUB;
        }
    }

    record RqList() implements NodeMessage {
        public int type() {
            return NodeCodec.RQ_LIST;
        }
    }

    /** Upstream's {@code List}: the feeds a public node shares. */
    record FeedList(List<PeerKey> feeds) implements NodeMessage {
        public FeedList {
            feeds = List.copyOf(feeds);
        }

        public int type() {
            return NodeCodec.LIST;
        }
    }

    /** A Root pushed or previewed: {@code value} is the encoded Root, {@code sig} the feed's 65-byte signature. */
    record Root(PeerKey feed, long nonce, long seq, byte[] value, byte[] sig) implements NodeMessage {
        public Root {
            NodeCodec.require(feed);
            value = value.clone();
            sig = sig.clone();
            if (sig.length != NodeCodec.SIG_LENGTH) {
                throw new IllegalArgumentException("a signature is " + NodeCodec.SIG_LENGTH + " bytes");
            }
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public byte[] sig() {
            return sig.clone();
        }

        /** The push a publisher sends for its newest Root. */
        public static Root of(SignedRoot signed) {
            io.skychat.feed.Root r = signed.root();
            return new Root(r.pub(), r.nonce(), r.seq(), signed.value(), signed.sig());
        }

        /**
         * The Root this message carries, verified for its feed; the head fields outside the value must
         * agree with the value, since a node picks what to do by them before it decodes.
         */
        public SignedRoot verified() {
            SignedRoot signed = SignedRoot.received(feed, value, sig);
            if (signed.root().nonce() != nonce || signed.root().seq() != seq) {
                throw FeedException.malformed("Root message says " + nonce + "/" + seq + ", its value "
                        + signed.root().nonce() + "/" + signed.root().seq());
            }
            return signed;
        }

        public int type() {
            return NodeCodec.ROOT;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Root r && r.feed.equals(feed) && r.nonce == nonce && r.seq == seq
                    && Arrays.equals(r.value, value) && Arrays.equals(r.sig, sig);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Root[" + feed + "/" + nonce + "/" + seq + ", " + value.length + " bytes]";
        }
    }

    record RqObject(Hash key) implements NodeMessage {
        public RqObject {
            NodeCodec.require(key);
        }

        public int type() {
            return NodeCodec.RQ_OBJECT;
        }
    }

    /** Upstream's {@code Object}: an object's bytes; the receiver checks their SHA-256 against the key it asked for. */
    record ObjectValue(byte[] value) implements NodeMessage {
        public ObjectValue {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public int type() {
            return NodeCodec.OBJECT;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ObjectValue m && Arrays.equals(m.value, value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "ObjectValue[" + value.length + " bytes]";
        }
    }

    record RqPreview(PeerKey feed) implements NodeMessage {
        public RqPreview {
            NodeCodec.require(feed);
        }

        public int type() {
            return NodeCodec.RQ_PREVIEW;
        }
    }

    record RqPeers(PeerKey feed) implements NodeMessage {
        public RqPeers {
            NodeCodec.require(feed);
        }

        public int type() {
            return NodeCodec.RQ_PEERS;
        }
    }

    /** One swarm peer: addresses are free text ("127.0.0.1:8870"), empty when unknown. */
    record PeerInfo(PeerKey pubKey, byte[] metadata, String tcpAddr, String udpAddr) {
        public PeerInfo {
            NodeCodec.require(pubKey);
            NodeCodec.require(tcpAddr);
            NodeCodec.require(udpAddr);
            metadata = metadata.clone();
        }

        @Override
        public byte[] metadata() {
            return metadata.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PeerInfo p && p.pubKey.equals(pubKey) && Arrays.equals(p.metadata, metadata)
                    && p.tcpAddr.equals(tcpAddr) && p.udpAddr.equals(udpAddr);
        }

        @Override
        public int hashCode() {
            return pubKey.hashCode();
        }
    }

    record Peers(PeerKey feed, List<PeerInfo> list) implements NodeMessage {
        public Peers {
            NodeCodec.require(feed);
            list = List.copyOf(list);
        }

        public int type() {
            return NodeCodec.PEERS;
        }
    }
}
