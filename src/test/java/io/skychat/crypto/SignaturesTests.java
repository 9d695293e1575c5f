package io.skychat.crypto;

import static io.skychat.crypto.Vectors.hex;
import static io.skychat.crypto.Vectors.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class SignaturesTests {

    private static final JsonNode SIGNATURES = Vectors.load("signatures.json");
    private static final PeerKey KEY_B = PeerKey.parse(text(Vectors.load("keys.json").get("roles"), "B"));

    static Stream<JsonNode> cases() {
        return SIGNATURES.get("cases").valueStream();
    }

    /** Every upstream random-nonce signature, with the case it belongs to. */
    static Stream<Arguments> upstreamSignatures() {
        return cases().flatMap(c -> c.get("upstream_random_nonce_signatures").valueStream()
                .map(sig -> Arguments.of(c.get("name").asString(), c, sig)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void payloadAndHashAgree(JsonNode c) {
        byte[] payload = Vectors.bytes(c, "message_hex");
        assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo(text(c, "message_utf8"));
        assertThat(hex(Secp256k1.sha256(payload))).isEqualTo(text(c, "sha256"));
        assertThat(KeyPair.fromSecretHex(text(c, "signer_sk")).publicKey().hex()).isEqualTo(text(c, "signer_pk"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rfc6979SignatureIsByteExact(JsonNode c) throws SignatureException {
        JsonNode fixed = c.get("rfc6979_fixed_nonce_signature");
        KeyPair signer = KeyPair.fromSecretHex(text(c, "signer_sk"));
        byte[] hash = Vectors.bytes(c, "sha256");

        HMacDSAKCalculator nonces = new HMacDSAKCalculator(new SHA256Digest());
        nonces.init(Secp256k1.N, signer.scalar(), hash);
        assertThat(hex(Secp256k1.to32(nonces.nextK()))).isEqualTo(text(fixed, "k"));

        byte[] sig = Signatures.sign(Vectors.bytes(c, "message_hex"), signer);
        assertThat(hex(sig)).isEqualTo(text(fixed, "sig"));
        assertThat(hex(Arrays.copyOfRange(sig, 0, 32))).isEqualTo(text(fixed, "r"));
        assertThat(hex(Arrays.copyOfRange(sig, 32, 64))).isEqualTo(text(fixed, "s"));
        assertThat(sig[64]).isEqualTo((byte) fixed.get("recid").asInt());
        assertThat(Signatures.signHash(hash, signer.secret())).isEqualTo(sig);
        assertThat(text(fixed, "verify_with_signer_pk")).isEqualTo("ok");
        Signatures.verify(signer.publicKey(), sig, Vectors.bytes(c, "message_hex"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamSignatures")
    void upstreamSignatureVerifiesAndRecoversTheSigner(String name, JsonNode c, JsonNode v) throws SignatureException {
        byte[] sig = Vectors.bytes(v, "sig");
        byte[] hash = Vectors.bytes(c, "sha256");
        assertThat(hex(Arrays.copyOfRange(sig, 0, 32))).isEqualTo(text(v, "r"));
        assertThat(hex(Arrays.copyOfRange(sig, 32, 64))).isEqualTo(text(v, "s"));
        assertThat(sig[64]).isEqualTo((byte) v.get("recid").asInt());
        assertThat(text(v, "verify_with_signer_pk")).isEqualTo("ok");

        assertThatCode(() -> Signatures.verify(Vectors.key(c, "signer_pk"), sig, Vectors.bytes(c, "message_hex")))
                .doesNotThrowAnyException();
        assertThat(Signatures.recover(sig, hash).hex()).isEqualTo(text(v, "recovered_pk"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamSignatures")
    void upstreamNegativeCasesFailWithUpstreamsMessage(String name, JsonNode c, JsonNode v) {
        byte[] sig = Vectors.bytes(v, "sig");
        PeerKey signer = Vectors.key(c, "signer_pk");
        byte[] payload = Vectors.bytes(c, "message_hex");
        byte[] tampered = sig.clone();
        tampered[10] ^= 0x01; // the flip that reproduces upstream's result for every signature in the file

        assertThat(verifyResult(KEY_B, sig, payload)).isEqualTo(text(v, "verify_with_other_pk_B"));
        assertThat(verifyResult(signer, sig, "x".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(text(v, "verify_with_other_hash_sha256_of_x"));
        assertThat(verifyResult(signer, tampered, payload)).isEqualTo(text(v, "verify_tampered_byte10"));
    }

    @Test
    void highSVariantOfAValidSignatureIsRefused() throws SignatureException {
        JsonNode c = SIGNATURES.get("cases").get(0);
        byte[] sig = Vectors.bytes(c.get("rfc6979_fixed_nonce_signature"), "sig");
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        byte[] high = sig.clone();
        System.arraycopy(Secp256k1.to32(Secp256k1.N.subtract(s)), 0, high, 32, 32);
        high[64] ^= 1;

        // Recovers the same key (it is the mirrored signature), then fails the malleability rule.
        assertThat(Signatures.recover(high, Vectors.bytes(c, "sha256"))).isEqualTo(Vectors.key(c, "signer_pk"));
        assertThat(verifyResult(Vectors.key(c, "signer_pk"), high, Vectors.bytes(c, "message_hex")))
                .isEqualTo("error: " + Signatures.ERR_VALIDITY);
    }

    @Test
    void malformedSignaturesAreRefused() {
        JsonNode c = SIGNATURES.get("cases").get(0);
        byte[] sig = Vectors.bytes(c.get("rfc6979_fixed_nonce_signature"), "sig");
        byte[] payload = Vectors.bytes(c, "message_hex");
        PeerKey signer = Vectors.key(c, "signer_pk");

        byte[] badRecid = sig.clone();
        badRecid[64] = 4;
        byte[] zeroR = sig.clone();
        Arrays.fill(zeroR, 0, 32, (byte) 0);
        byte[] rIsN = sig.clone();
        System.arraycopy(Secp256k1.to32(Secp256k1.N), 0, rIsN, 0, 32);

        assertThat(verifyResult(signer, Arrays.copyOf(sig, 64), payload)).isEqualTo("error: Invalid signature length");
        assertThat(verifyResult(signer, null, payload)).isEqualTo("error: Invalid signature length");
        assertThat(verifyResult(signer, badRecid, payload)).isEqualTo("error: " + Signatures.ERR_RECOVER);
        assertThat(verifyResult(signer, zeroR, payload)).isEqualTo("error: " + Signatures.ERR_RECOVER);
        assertThat(verifyResult(signer, rIsN, payload)).isEqualTo("error: " + Signatures.ERR_RECOVER);
    }

    @Test
    void signingRefusesANullHashAndBadSecrets() {
        KeyPair key = KeyPair.generate();
        assertThatThrownBy(() -> Signatures.signHash(new byte[32], key.secret()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null hash");
        assertThatThrownBy(() -> Signatures.signHash(new byte[31], key.secret()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signatures.signHash(Secp256k1.sha256(new byte[] {1}), new byte[32]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    static IntStream seeds() {
        return IntStream.range(0, 40);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomKeysSignLowSAndVerify(int seed) throws SignatureException {
        Random random = new Random(seed);
        byte[] sk = new byte[32];
        random.nextBytes(sk);
        KeyPair key = KeyPair.fromSecret(sk); // a 32-byte random value is below n with overwhelming odds
        byte[] payload = new byte[random.nextInt(200)];
        random.nextBytes(payload);

        byte[] sig = Signatures.sign(payload, key);

        assertThat(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64))).isLessThanOrEqualTo(Secp256k1.HALF_N);
        assertThat(sig[64]).isBetween((byte) 0, (byte) 3);
        Signatures.verify(key.publicKey(), sig, payload);
        assertThat(Signatures.recover(sig, Secp256k1.sha256(payload))).isEqualTo(key.publicKey());
        assertThat(Signatures.sign(payload, key)).as("RFC 6979 is deterministic").isEqualTo(sig);
        payload = Arrays.copyOf(payload, payload.length + 1);
        assertThat(verifyResult(key.publicKey(), sig, payload)).startsWith("error: ");
    }

    /** The verification outcome in the vectors' notation: "ok" or "error: <message>". */
    private static String verifyResult(PeerKey pk, byte[] sig, byte[] payload) {
        try {
            Signatures.verify(pk, sig, payload);
            return "ok";
        } catch (SignatureException e) {
            return "error: " + e.getMessage();
        }
    }
}
