package io.skychat.transport.dmsg;

import static io.skychat.support.VectorFiles.bytes;
import static io.skychat.support.VectorFiles.hex;
import static io.skychat.support.VectorFiles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.support.VectorFiles;
import io.skychat.transport.gob.GobStreamEncoder;
import io.skychat.transport.gob.GobType;
import io.skychat.transport.gob.GobValue;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The signed StreamRequest/StreamResponse exactly as upstream dmsg writes, signs, hashes and checks them. */
class StreamObjectTests {

    private static final JsonNode V = VectorFiles.load("dmsg_stream.json");
    private static final JsonNode IN = V.get("inputs");
    private static final JsonNode REQ = V.get("stream_request");
    private static final JsonNode RESP = V.get("stream_response");

    private static final KeyPair A = KeyPair.fromSecretHex(text(IN, "dialer_A_sk"));
    private static final KeyPair B = KeyPair.fromSecretHex(text(IN, "listener_B_sk"));
    private static final PeerKey S = PeerKey.parse(text(IN, "server_S_pk"));
    /** Signed by upstream with a random nonce: verified, never compared. */
    private static final byte[] UPSTREAM_REQUEST = bytes(REQ, "sample_signed_object_hex");
    private static final byte[] UPSTREAM_RESPONSE = bytes(RESP, "sample_signed_object_hex");

    private static StreamRequest vectorRequest() {
        return new StreamRequest(IN.get("timestamp").asLong(),
                new StreamAddr(PeerKey.parse(text(IN, "dialer_A_pk")), IN.get("src_port").asInt()),
                new StreamAddr(PeerKey.parse(text(IN, "listener_B_pk")), IN.get("dst_port").asInt()),
                bytes(IN, "request_noise_msg_hex (KK msg1)"));
    }

    private static byte[] responseNoise() {
        return bytes(IN, "response_noise_msg_hex (KK msg2)");
    }

    @Test
    void theKeysAreTheVectorRoles() {
        assertThat(A.publicKey().hex()).isEqualTo(text(IN, "dialer_A_pk"));
        assertThat(B.publicKey().hex()).isEqualTo(text(IN, "listener_B_pk"));
    }

    @Test
    void theRequestGobIsByteExact() {
        byte[] gob = vectorRequest().gobObject();
        assertThat(hex(gob)).isEqualTo(text(REQ, "gob_object_hex"));
        assertThat(gob).hasSize(REQ.get("gob_object_len").asInt());
        assertThat(hex(sha256(gob))).isEqualTo(text(REQ, "gob_object_sha256"));
    }

    @Test
    void theResponseGobToTheUpstreamRequestIsByteExact() {
        StreamResponse resp = StreamResponse.accept(UPSTREAM_REQUEST, responseNoise());
        assertThat(hex(resp.reqHash())).isEqualTo(text(RESP, "req_hash_hex"))
                .isEqualTo(text(REQ, "sample_signed_object_sha256 (= ReqHash)"));
        byte[] gob = resp.gobObject();
        assertThat(hex(gob)).isEqualTo(text(RESP, "gob_object_hex"));
        assertThat(gob).hasSize(RESP.get("gob_object_len").asInt());
    }

    @Test
    void theUpstreamRequestVerifiesAndReadsAsItsInputs() {
        StreamRequest req = StreamRequest.verify(UPSTREAM_REQUEST, 0);
        assertThat(req).isEqualTo(vectorRequest());
        assertThat(req.requireDestination(B.publicKey())).isSameAs(req);
        assertThat(req.requireSource(A.publicKey())).isSameAs(req);
        assertThat(Arrays.copyOf(UPSTREAM_REQUEST, 65)).isEqualTo(bytes(REQ, "sample_signature_hex"));
    }

    @Test
    void theUpstreamResponseVerifiesAgainstItsRequest() {
        StreamResponse resp = StreamResponse.verify(UPSTREAM_RESPONSE, UPSTREAM_REQUEST, B.publicKey());
        assertThat(resp.accepted()).isEqualTo(RESP.get("accepted").asBoolean());
        assertThat(resp.errCode()).isEqualTo(RESP.get("err_code").asInt());
        assertThat(resp.noiseMsg()).isEqualTo(responseNoise());
    }

    @Test
    void ourSignaturesVerifyAndCoverTheExactGob() {
        byte[] signedReq = vectorRequest().sign(A);
        assertThat(Arrays.copyOfRange(signedReq, 65, signedReq.length)).isEqualTo(bytes(REQ, "gob_object_hex"));
        assertThat(StreamRequest.verify(signedReq, 0)).isEqualTo(vectorRequest());

        byte[] signedResp = StreamResponse.accept(signedReq, responseNoise()).sign(B);
        assertThat(StreamResponse.verify(signedResp, signedReq, B.publicKey()).noiseMsg()).isEqualTo(responseNoise());
    }

    @Test
    void onlyTheSourceMaySignARequest() {
        assertThatThrownBy(() -> vectorRequest().sign(B)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequestForSomeoneElseIsRefused() {
        StreamRequest req = StreamRequest.verify(UPSTREAM_REQUEST, 0);
        assertCode(() -> req.requireDestination(A.publicKey()), StreamErrorCode.REQ_INVALID_DST_PK);
        assertCode(() -> req.requireSource(S), StreamErrorCode.REQ_INVALID_SRC_PK);
    }

    @Test
    void aStaleTimestampIsRefused() {
        long ts = IN.get("timestamp").asLong();
        assertThat(StreamRequest.verify(UPSTREAM_REQUEST, ts - 1).timestamp()).isEqualTo(ts);
        assertCode(() -> StreamRequest.verify(UPSTREAM_REQUEST, ts), StreamErrorCode.REQ_INVALID_TIMESTAMP);
    }

    @Test
    void aTamperedRequestFailsItsSignature() {
        byte[] forged = UPSTREAM_REQUEST.clone();
        int noiseAt = forged.length - 2; // last byte of NoiseMsg, before the struct's end
        forged[noiseAt] ^= 1;
        assertCode(() -> StreamRequest.verify(forged, 0), StreamErrorCode.REQ_INVALID_SIG);
        byte[] badSig = UPSTREAM_REQUEST.clone();
        badSig[10] ^= 1;
        assertCode(() -> StreamRequest.verify(badSig, 0), StreamErrorCode.REQ_INVALID_SIG);
    }

    @Test
    void aRequestWithAZeroPortIsRefusedBeforeItsSignatureIsChecked() {
        GobValue.Struct value = GobValue.Struct.builder("StreamRequest")
                .put("Timestamp", new GobValue.Int(5))
                .put("SrcAddr", GobValue.Struct.builder("Addr")
                        .put("PK", new GobValue.Marshaled("PubKey", A.publicKey().toBytes())).build())
                .put("DstAddr", new StreamAddr(B.publicKey(), 1).toGob())
                .build();
        byte[] gob = GobStreamEncoder.encodeObject(GobStreamEncoder.FIRST_ID_DMSG, StreamRequest.GOB_TYPE, value);
        byte[] signed = SignedStreamObject.sign(gob, A);
        assertCode(() -> StreamRequest.verify(signed, 0), StreamErrorCode.REQ_INVALID_SRC_PORT);
    }

    @Test
    void objectsTooShortOrNotGobAreInvalidSignedObjects() {
        assertCode(() -> StreamRequest.verify(Arrays.copyOf(UPSTREAM_REQUEST, 65), 0), StreamErrorCode.SIGNED_OBJECT_INVALID);
        assertCode(() -> StreamRequest.verify(Arrays.copyOf(UPSTREAM_REQUEST, 200), 0), StreamErrorCode.SIGNED_OBJECT_INVALID);
        assertCode(() -> StreamResponse.verify(Arrays.copyOf(UPSTREAM_RESPONSE, 150), UPSTREAM_REQUEST, B.publicKey()),
                StreamErrorCode.SIGNED_OBJECT_INVALID);
        // A request read as a response shares only NoiseMsg, so (as in Go) it decodes with a zero hash.
        assertCode(() -> StreamResponse.verify(UPSTREAM_REQUEST, UPSTREAM_REQUEST, B.publicKey()),
                StreamErrorCode.RESP_INVALID_HASH);
    }

    @Test
    void aResponseForAnotherRequestOrFromAnotherKeyIsRefused() {
        byte[] otherRequest = vectorRequest().sign(A); // same content, different signature, so a different hash
        assertCode(() -> StreamResponse.verify(UPSTREAM_RESPONSE, otherRequest, B.publicKey()),
                StreamErrorCode.RESP_INVALID_HASH);
        assertCode(() -> StreamResponse.verify(UPSTREAM_RESPONSE, UPSTREAM_REQUEST, A.publicKey()),
                StreamErrorCode.RESP_INVALID_SIG);
    }

    @Test
    void aRefusalCarriesItsCode() {
        byte[] refused = StreamResponse.reject(UPSTREAM_REQUEST, StreamErrorCode.REQ_NO_LISTENER).sign(B);
        assertCode(() -> StreamResponse.verify(refused, UPSTREAM_REQUEST, B.publicKey()), StreamErrorCode.REQ_NO_LISTENER);
        byte[] unknown = new StreamResponse(StreamRequest.hashOf(UPSTREAM_REQUEST), false, 999, new byte[0]).sign(B);
        assertCode(() -> StreamResponse.verify(unknown, UPSTREAM_REQUEST, B.publicKey()), StreamErrorCode.RESP_NOT_ACCEPTED);
    }

    /** The 2026 line adds fields (IPinfo, GeoInfo; IP, Geo* in the reply); fields match by name, extras are skipped. */
    @Test
    void newerUpstreamObjectsWithExtraFieldsStillVerify() {
        GobType.Struct newer = GobType.Struct.of("StreamRequest",
                new GobType.Field("Timestamp", GobType.Builtin.INT),
                new GobType.Field("SrcAddr", StreamAddr.GOB_TYPE),
                new GobType.Field("DstAddr", StreamAddr.GOB_TYPE),
                new GobType.Field("IPinfo", GobType.Builtin.BOOL),
                new GobType.Field("GeoInfo", GobType.Builtin.BOOL),
                new GobType.Field("NoiseMsg", GobType.Builtin.BYTES));
        StreamRequest req = vectorRequest();
        GobValue value = GobValue.Struct.builder("StreamRequest")
                .put("Timestamp", new GobValue.Int(req.timestamp()))
                .put("SrcAddr", req.src().toGob())
                .put("DstAddr", req.dst().toGob())
                .put("IPinfo", new GobValue.Bool(true))
                .put("NoiseMsg", new GobValue.Bytes(req.noiseMsg()))
                .build();
        byte[] signedReq = SignedStreamObject.sign(
                GobStreamEncoder.encodeObject(GobStreamEncoder.FIRST_ID_DMSG, newer, value), A);
        assertThat(StreamRequest.verify(signedReq, 0)).isEqualTo(req);

        GobType.Struct newerResp = GobType.Struct.of("StreamResponse",
                new GobType.Field("ReqHash", StreamResponse.GOB_TYPE.fields().get(0).type()),
                new GobType.Field("Accepted", GobType.Builtin.BOOL),
                new GobType.Field("IP", GobType.Builtin.BYTES),
                new GobType.Field("GeoCountry", GobType.Builtin.STRING),
                new GobType.Field("ErrCode", GobType.Builtin.UINT),
                new GobType.Field("NoiseMsg", GobType.Builtin.BYTES));
        GobValue respValue = GobValue.Struct.builder("StreamResponse")
                .put("ReqHash", new GobValue.Bytes(StreamRequest.hashOf(signedReq)))
                .put("Accepted", new GobValue.Bool(true))
                .put("IP", new GobValue.Bytes(new byte[] {127, 0, 0, 1}))
                .put("GeoCountry", new GobValue.Str("NZ"))
                .put("NoiseMsg", new GobValue.Bytes(responseNoise()))
                .build();
        byte[] signedResp = SignedStreamObject.sign(
                GobStreamEncoder.encodeObject(GobStreamEncoder.FIRST_ID_DMSG, newerResp, respValue), B);
        assertThat(StreamResponse.verify(signedResp, signedReq, B.publicKey()))
                .isEqualTo(StreamResponse.accept(signedReq, responseNoise()));
    }

    @Test
    void errorCodesAreUpstreamsTable() {
        Map<String, String> ours = new TreeMap<>();
        for (StreamErrorCode c : StreamErrorCode.values()) {
            ours.put(Integer.toString(c.code()), c.text());
        }
        Map<String, String> upstream = new TreeMap<>();
        V.get("error_codes").properties().forEach(e -> upstream.put(e.getKey(), e.getValue().asString()));
        assertThat(ours).isEqualTo(upstream);
    }

    @Test
    void theClockGivesUnixNanoseconds() {
        Instant t = Instant.ofEpochSecond(IN.get("timestamp").asLong() / 1_000_000_000L,
                IN.get("timestamp").asLong() % 1_000_000_000L);
        StreamRequest req = StreamRequest.create(Clock.fixed(t, ZoneOffset.UTC), vectorRequest().src(),
                vectorRequest().dst(), vectorRequest().noiseMsg());
        assertThat(req).isEqualTo(vectorRequest());
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, StreamErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(StreamHandshakeException.class)
                .satisfies(e -> assertThat(((StreamHandshakeException) e).code()).isEqualTo(code))
                .hasMessageContaining(code.text());
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
