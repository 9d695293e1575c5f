package io.skychat.transport.dmsg;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.transport.gob.GobException;
import io.skychat.transport.gob.GobStreamEncoder;
import io.skychat.transport.gob.GobType;
import io.skychat.transport.gob.GobValue;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The signed object a dialer sends to open a dmsg stream (Go {@code dmsg.StreamRequest}); it carries the
 * first KK handshake message. Signed by the source key; the response names it by the hash of its signed bytes.
 */
public record StreamRequest(long timestamp, StreamAddr src, StreamAddr dst, byte[] noiseMsg) {

    /** The 2023 field list, which the vectors and today's servers read; newer Go adds fields we leave out. */
    static final GobType.Struct GOB_TYPE = GobType.Struct.of("StreamRequest",
            new GobType.Field("Timestamp", GobType.Builtin.INT),
            new GobType.Field("SrcAddr", StreamAddr.GOB_TYPE),
            new GobType.Field("DstAddr", StreamAddr.GOB_TYPE),
            new GobType.Field("NoiseMsg", GobType.Builtin.BYTES));

    public StreamRequest {
        if (timestamp <= 0) {
            throw new IllegalArgumentException("a stream request timestamp must be positive, got " + timestamp);
        }
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        noiseMsg = noiseMsg.clone();
    }

    /** Stamped with the clock's time in Unix nanoseconds, as Go's {@code time.Now().UnixNano()}. */
    public static StreamRequest create(Clock clock, StreamAddr src, StreamAddr dst, byte[] noiseMsg) {
        Instant now = clock.instant();
        return new StreamRequest(Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano()),
                src, dst, noiseMsg);
    }

    @Override
    public byte[] noiseMsg() {
        return noiseMsg.clone();
    }

    /** The gob bytes the signature covers, as a fresh Go encoder writes them. */
    public byte[] gobObject() {
        GobValue value = GobValue.Struct.builder("StreamRequest")
                .put("Timestamp", new GobValue.Int(timestamp))
                .put("SrcAddr", src.toGob())
                .put("DstAddr", dst.toGob())
                .put("NoiseMsg", new GobValue.Bytes(noiseMsg))
                .build();
        return GobStreamEncoder.encodeObject(GobStreamEncoder.FIRST_ID_DMSG, GOB_TYPE, value);
    }

    /** Signature then gob; {@code srcKey} must be the key of {@link #src()}. */
    public byte[] sign(KeyPair srcKey) {
        if (!srcKey.publicKey().equals(src.pk())) {
            throw new IllegalArgumentException("a stream request is signed by its source " + src.pk()
                    + ", not " + srcKey.publicKey());
        }
        return SignedStreamObject.sign(gobObject(), srcKey);
    }

    /**
     * Reads and checks a signed request in upstream's order: fields, then timestamp above
     * {@code lastTimestamp} (0 accepts any positive one, as upstream does), then the source's signature.
     */
    public static StreamRequest verify(byte[] signedObject, long lastTimestamp) {
        GobValue.Struct s = SignedStreamObject.open(signedObject);
        StreamRequest req;
        try {
            GobValue.Struct src = s.struct("SrcAddr").orElse(GobValue.Struct.builder("Addr").build());
            GobValue.Struct dst = s.struct("DstAddr").orElse(GobValue.Struct.builder("Addr").build());
            PeerKey srcPk = SignedStreamObject.key(src, StreamErrorCode.REQ_INVALID_SRC_PK);
            int srcPort = port(src, StreamErrorCode.REQ_INVALID_SRC_PORT);
            PeerKey dstPk = SignedStreamObject.key(dst, StreamErrorCode.REQ_INVALID_DST_PK);
            int dstPort = port(dst, StreamErrorCode.REQ_INVALID_DST_PORT);
            long timestamp = s.integer("Timestamp");
            if (timestamp <= Math.max(0, lastTimestamp)) {
                throw new StreamHandshakeException(StreamErrorCode.REQ_INVALID_TIMESTAMP,
                        "timestamp " + timestamp + " is not after " + Math.max(0, lastTimestamp));
            }
            req = new StreamRequest(timestamp, new StreamAddr(srcPk, srcPort), new StreamAddr(dstPk, dstPort),
                    s.bytes("NoiseMsg"));
        } catch (GobException e) {
            throw new StreamHandshakeException(StreamErrorCode.SIGNED_OBJECT_INVALID, e.getMessage(), e);
        }
        SignedStreamObject.verify(signedObject, req.src().pk(), StreamErrorCode.REQ_INVALID_SIG);
        return req;
    }

    /** The listener's check: the request is for this client. */
    public StreamRequest requireDestination(PeerKey local) {
        if (!dst.pk().equals(local)) {
            throw new StreamHandshakeException(StreamErrorCode.REQ_INVALID_DST_PK,
                    "addressed to " + dst.pk() + ", this is " + local);
        }
        return this;
    }

    /** The server's check: the request comes from the client at the other end of the session. */
    public StreamRequest requireSource(PeerKey sessionPeer) {
        if (!src.pk().equals(sessionPeer)) {
            throw new StreamHandshakeException(StreamErrorCode.REQ_INVALID_SRC_PK,
                    "signed for " + src.pk() + " but sent by " + sessionPeer);
        }
        return this;
    }

    /** The hash a response must carry for this signed request. */
    public static byte[] hashOf(byte[] signedObject) {
        return SignedStreamObject.hash(signedObject);
    }

    private static int port(GobValue.Struct addr, StreamErrorCode onInvalid) {
        long port = addr.uint("Port");
        if (port == 0 || Long.compareUnsigned(port, 0xffff) > 0) {
            throw new StreamHandshakeException(onInvalid, "port " + Long.toUnsignedString(port));
        }
        return (int) port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamRequest r && timestamp == r.timestamp && src.equals(r.src) && dst.equals(r.dst)
                && Arrays.equals(noiseMsg, r.noiseMsg);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, src, dst, Arrays.hashCode(noiseMsg));
    }

    @Override
    public String toString() {
        return "StreamRequest[" + src + " -> " + dst + " at " + timestamp + ", noise "
                + HexFormat.of().formatHex(noiseMsg) + "]";
    }
}
