package io.skychat.transport.dmsg;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.transport.gob.GobException;
import io.skychat.transport.gob.GobStreamEncoder;
import io.skychat.transport.gob.GobType;
import io.skychat.transport.gob.GobValue;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The listener's signed answer to a StreamRequest (Go {@code dmsg.StreamResponse}): the hash of the signed
 * request, whether it was accepted (else an error code), and the second KK handshake message.
 */
public record StreamResponse(byte[] reqHash, boolean accepted, int errCode, byte[] noiseMsg) {

    static final int HASH_LENGTH = 32;
    /** cipher.SHA256 has no marshaler, so gob sends it as an array of 32 uints. */
    static final GobType.Struct GOB_TYPE = GobType.Struct.of("StreamResponse",
            new GobType.Field("ReqHash", new GobType.Array("SHA256", GobType.Builtin.UINT, HASH_LENGTH)),
            new GobType.Field("Accepted", GobType.Builtin.BOOL),
            new GobType.Field("ErrCode", GobType.Builtin.UINT),
            new GobType.Field("NoiseMsg", GobType.Builtin.BYTES));

    public StreamResponse {
        if (reqHash == null || reqHash.length != HASH_LENGTH) {
            throw new IllegalArgumentException("a request hash is " + HASH_LENGTH + " bytes");
        }
        reqHash = reqHash.clone();
        if (errCode < 0 || errCode > 0xffff) {
            throw new IllegalArgumentException("error code " + errCode + " is not a uint16");
        }
        noiseMsg = noiseMsg.clone();
    }

    public static StreamResponse accept(byte[] signedRequest, byte[] noiseMsg) {
        return new StreamResponse(SignedStreamObject.hash(signedRequest), true, 0, noiseMsg);
    }

    public static StreamResponse reject(byte[] signedRequest, StreamErrorCode why) {
        return new StreamResponse(SignedStreamObject.hash(signedRequest), false, why.code(), new byte[0]);
    }

    @Override
    public byte[] reqHash() {
        return reqHash.clone();
    }

    @Override
    public byte[] noiseMsg() {
        return noiseMsg.clone();
    }

    public byte[] gobObject() {
        GobValue value = GobValue.Struct.builder("StreamResponse")
                .put("ReqHash", new GobValue.Bytes(reqHash))
                .put("Accepted", new GobValue.Bool(accepted))
                .put("ErrCode", new GobValue.Uint(errCode))
                .put("NoiseMsg", new GobValue.Bytes(noiseMsg))
                .build();
        return GobStreamEncoder.encodeObject(GobStreamEncoder.FIRST_ID_DMSG, GOB_TYPE, value);
    }

    /** Signed by the listener, the key the request was addressed to. */
    public byte[] sign(KeyPair listenerKey) {
        return SignedStreamObject.sign(gobObject(), listenerKey);
    }

    /**
     * The dialer's (and the server's) check, in upstream's order: the hash names {@code signedRequest}, the
     * signature is {@code requestDst}'s, and the stream was accepted (else the code it was refused with).
     */
    public static StreamResponse verify(byte[] signedResponse, byte[] signedRequest, PeerKey requestDst) {
        GobValue.Struct s = SignedStreamObject.open(signedResponse);
        StreamResponse resp;
        try {
            resp = new StreamResponse(s.byteArray("ReqHash", HASH_LENGTH), s.bool("Accepted"), s.uint16("ErrCode"),
                    s.bytes("NoiseMsg"));
        } catch (GobException e) {
            throw new StreamHandshakeException(StreamErrorCode.SIGNED_OBJECT_INVALID, e.getMessage(), e);
        }
        if (!java.security.MessageDigest.isEqual(resp.reqHash, SignedStreamObject.hash(signedRequest))) {
            throw new StreamHandshakeException(StreamErrorCode.RESP_INVALID_HASH, null);
        }
        SignedStreamObject.verify(signedResponse, requestDst, StreamErrorCode.RESP_INVALID_SIG);
        if (!resp.accepted) {
            StreamErrorCode code = StreamErrorCode.of(resp.errCode).orElse(StreamErrorCode.RESP_NOT_ACCEPTED);
            throw new StreamHandshakeException(code, "refused by " + requestDst);
        }
        return resp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamResponse r && accepted == r.accepted && errCode == r.errCode
                && Arrays.equals(reqHash, r.reqHash) && Arrays.equals(noiseMsg, r.noiseMsg);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(reqHash), accepted, errCode, Arrays.hashCode(noiseMsg));
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "StreamResponse[req " + hex.formatHex(reqHash) + (accepted ? " accepted" : " refused " + errCode)
                + ", noise " + hex.formatHex(noiseMsg) + "]";
    }
}
