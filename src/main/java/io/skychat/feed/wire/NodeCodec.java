package io.skychat.feed.wire;

import io.skychat.core.PeerKey;
import io.skychat.feed.FeedException;
import io.skychat.feed.Hash;
import io.skychat.feed.SkyReader;
import io.skychat.feed.SkyWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Msg.Encode()} / {@code msg.Decode} of upstream {@code node/msg}: a type byte, then the skycoin
 * encoding of the fields, except Sub and Unsub whose 33-byte feed follows raw. Decoding refuses unknown
 * types and leftover bytes, as upstream does.
 */
public final class NodeCodec {

    /** {@code msg.Version}. */
    public static final int PROTOCOL_VERSION = 3;

    static final int PING = 1;
    static final int PONG = 2;
    static final int SYN = 3;
    static final int ACK = 4;
    static final int OK = 5;
    static final int ERR = 6;
    static final int SUB = 7;
    static final int UNSUB = 8;
    static final int RQ_LIST = 9;
    static final int LIST = 10;
    static final int ROOT = 11;
    static final int RQ_OBJECT = 12;
    static final int OBJECT = 13;
    static final int RQ_PREVIEW = 14;
    static final int RQ_PEERS = 15;
    static final int PEERS = 16;

    static final int SIG_LENGTH = 65;
    /** u32 seq ‖ u32 rseq ‖ type: the shortest payload. */
    static final int HEAD = 8;

    private NodeCodec() {
    }

    public static byte[] encode(NodeMessage message) {
        SkyWriter w = new SkyWriter().u8(message.type());
        write(message, w);
        return w.toByteArray();
    }

    public static NodeMessage decode(byte[] encoded) {
        return decode(encoded, 0, encoded.length);
    }

    /** Decodes {@code u32 LE seq ‖ u32 LE rseq ‖ message}. */
    public static NodeFrame decodePayload(byte[] payload) {
        if (payload.length < HEAD + 1) {
            throw FeedException.malformed("CXO payload of " + payload.length + " bytes is shorter than its head");
        }
        SkyReader head = new SkyReader(payload, 0, HEAD, "message head");
        long seq = head.u32();
        long rseq = head.u32();
        return new NodeFrame(seq, rseq, decode(payload, HEAD, payload.length - HEAD));
    }

    static byte[] payload(NodeFrame frame) {
        byte[] body = encode(frame.message());
        SkyWriter w = new SkyWriter(HEAD + body.length).u32(frame.seq()).u32(frame.rseq()).raw(body);
        return w.toByteArray();
    }

    private static void write(NodeMessage m, SkyWriter w) {
        if (m instanceof NodeMessage.Syn s) {
            w.u16(s.protocol()).raw(s.nodeId().toBytes());
        } else if (m instanceof NodeMessage.Ack a) {
            w.raw(a.nodeId().toBytes());
        } else if (m instanceof NodeMessage.Err e) {
            w.string(e.error());
        } else if (m instanceof NodeMessage.Sub s) {
            w.raw(s.feed().toBytes());
        } else if (m instanceof NodeMessage.Unsub u) {
            w.raw(u.feed().toBytes());
        } else if (m instanceof NodeMessage.FeedList l) {
            w.count(l.feeds().size());
            l.feeds().forEach(f -> w.raw(f.toBytes()));
        } else if (m instanceof NodeMessage.Root r) {
            w.raw(r.feed().toBytes()).u64(r.nonce()).u64(r.seq()).bytes(r.value()).raw(r.sig());
        } else if (m instanceof NodeMessage.RqObject r) {
            w.raw(r.key().bytes());
        } else if (m instanceof NodeMessage.ObjectValue o) {
            w.bytes(o.value());
        } else if (m instanceof NodeMessage.RqPreview r) {
            w.raw(r.feed().toBytes());
        } else if (m instanceof NodeMessage.RqPeers r) {
            w.raw(r.feed().toBytes());
        } else if (m instanceof NodeMessage.Peers p) {
            w.raw(p.feed().toBytes()).count(p.list().size());
            for (NodeMessage.PeerInfo i : p.list()) {
                w.raw(i.pubKey().toBytes()).bytes(i.metadata()).string(i.tcpAddr()).string(i.udpAddr());
            }
        }
        // Ping, Pong, Ok, RqList: the type byte alone
    }

    static NodeMessage decode(byte[] buf, int offset, int length) {
        if (length < 1) {
            throw FeedException.malformed("empty message");
        }
        int type = buf[offset] & 0xff;
        SkyReader in = new SkyReader(buf, offset + 1, length - 1, "message type " + type);
        NodeMessage m = switch (type) {
            case PING -> new NodeMessage.Ping();
            case PONG -> new NodeMessage.Pong();
            case SYN -> new NodeMessage.Syn(in.u16(), key(in));
            case ACK -> new NodeMessage.Ack(key(in));
            case OK -> new NodeMessage.Ok();
            case ERR -> new NodeMessage.Err(in.string());
            case SUB -> new NodeMessage.Sub(key(in));
            case UNSUB -> new NodeMessage.Unsub(key(in));
            case RQ_LIST -> new NodeMessage.RqList();
            case LIST -> new NodeMessage.FeedList(keys(in));
            case ROOT -> new NodeMessage.Root(key(in), in.u64(), in.u64(), in.bytes(), in.raw(SIG_LENGTH));
            case RQ_OBJECT -> new NodeMessage.RqObject(new Hash(in.raw(Hash.LENGTH)));
            case OBJECT -> new NodeMessage.ObjectValue(in.bytes());
            case RQ_PREVIEW -> new NodeMessage.RqPreview(key(in));
            case RQ_PEERS -> new NodeMessage.RqPeers(key(in));
            case PEERS -> new NodeMessage.Peers(key(in), peers(in));
            default -> throw FeedException.unknownMessage(type);
        };
        in.end();
        return m;
    }

    /**
     * Upstream takes any 33 bytes; we refuse what is not a compressed key shape (a blank feed is fatal
     * upstream too), so everything above sees a {@link PeerKey}.
     */
    private static PeerKey key(SkyReader in) {
        byte[] raw = in.raw(PeerKey.LENGTH);
        try {
            return PeerKey.of(raw);
        } catch (IllegalArgumentException e) {
            throw FeedException.malformed("not a public key: " + e.getMessage());
        }
    }

    private static List<PeerKey> keys(SkyReader in) {
        int n = in.count(PeerKey.LENGTH);
        List<PeerKey> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(key(in));
        }
        return out;
    }

    private static List<NodeMessage.PeerInfo> peers(SkyReader in) {
        int n = in.count(PeerKey.LENGTH + 12); // a key and three empty slices at least
        List<NodeMessage.PeerInfo> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new NodeMessage.PeerInfo(key(in), in.bytes(), in.string(), in.string()));
        }
        return out;
    }

    static void require(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("a message field is missing");
        }
    }
}
