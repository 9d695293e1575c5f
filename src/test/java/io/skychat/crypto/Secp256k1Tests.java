package io.skychat.crypto;

import static io.skychat.crypto.Vectors.hex;
import static io.skychat.crypto.Vectors.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class Secp256k1Tests {

    @ParameterizedTest
    @ValueSource(strings = {"noise_xk.json", "noise_kk.json"})
    void ecdhHashesTheCompressedSharedPoint(String file) {
        JsonNode v = Vectors.load(file);
        JsonNode keys = v.get("keys");
        JsonNode rule = v.get("dh_rule");
        byte[] ephemeralSk = Vectors.bytes(keys, "initiator_ephemeral_sk");
        PeerKey responderStatic = Vectors.key(keys, "responder_static_pk");

        byte[] point = Secp256k1.sharedPoint(KeyPair.fromSecret(ephemeralSk).scalar(),
                Secp256k1.decodeOrNull(responderStatic.toBytes()));

        assertThat(hex(point)).isEqualTo(text(rule, "shared_point_compressed"));
        assertThat(hex(Secp256k1.ecdh(ephemeralSk, responderStatic))).isEqualTo(text(rule, "sha256_of_point"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"noise_xk.json", "noise_kk.json"})
    void ecdhIsSymmetric(String file) {
        JsonNode keys = Vectors.load(file).get("keys");
        KeyPair a = KeyPair.fromSecretHex(text(keys, "initiator_static_sk"));
        KeyPair b = KeyPair.fromSecretHex(text(keys, "responder_static_sk"));

        assertThat(Secp256k1.ecdh(a.secret(), b.publicKey())).isEqualTo(Secp256k1.ecdh(b.secret(), a.publicKey()));
    }

    @Test
    void pointsOffTheCurveAreInvalid() {
        // x = 0 and x = 5 have no y on secp256k1 (x^3 + 7 is not a square); x = 2^256 - 1 is not below p.
        assertThat(Secp256k1.isValidPublicKey(PeerKey.parse("02" + "00".repeat(32)))).isFalse();
        assertThat(Secp256k1.isValidPublicKey(PeerKey.parse("03" + "00".repeat(31) + "05"))).isFalse();
        assertThat(Secp256k1.isValidPublicKey(PeerKey.parse("02" + "ff".repeat(32)))).isFalse();
        assertThat(Secp256k1.isValidPublicKey(PeerKey.parse("02" + "00".repeat(31) + "01"))).isTrue();
        assertThat(Secp256k1.isValidPublicKey(null)).isFalse();
    }

    @Test
    void ecdhRefusesAnInvalidPointOrSecret() {
        PeerKey offCurve = PeerKey.parse("02" + "00".repeat(32));
        KeyPair key = KeyPair.generate();

        assertThatThrownBy(() -> Secp256k1.ecdh(key.secret(), offCurve))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a point on secp256k1");
        assertThatThrownBy(() -> Secp256k1.ecdh(new byte[32], key.publicKey()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    @Test
    void decodeRejectsWrongShapes() {
        byte[] valid = KeyPair.generate().publicKey().toBytes();
        assertThat(Secp256k1.decodeOrNull(valid)).isNotNull();
        assertThat(Secp256k1.decodeOrNull(Arrays.copyOf(valid, 32))).isNull();
        byte[] uncompressedPrefix = valid.clone();
        uncompressedPrefix[0] = 0x04;
        assertThat(Secp256k1.decodeOrNull(uncompressedPrefix)).isNull();
    }
}
