package io.skychat.crypto;

import static io.skychat.crypto.Vectors.hex;
import static io.skychat.crypto.Vectors.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class KeyPairTests {

    private static final JsonNode KEYS = Vectors.load("keys.json");

    static Stream<JsonNode> upstreamKeys() {
        return KEYS.get("keys").valueStream();
    }

    @ParameterizedTest
    @MethodSource("upstreamKeys")
    void deterministicKeyMatchesUpstream(JsonNode v) {
        byte[] seed = Vectors.bytes(v, "seed_hex");
        assertThat(new String(seed, StandardCharsets.UTF_8)).isEqualTo(text(v, "seed_utf8"));

        KeyPair key = KeyPair.deterministic(seed);

        assertThat(key.secretHex()).isEqualTo(text(v, "sk"));
        assertThat(key.publicKey().hex()).isEqualTo(text(v, "pk"));
        assertThat(hex(Secp256k1.decodeOrNull(key.publicKey().toBytes()).getEncoded(false)))
                .isEqualTo(text(v, "pk_uncompressed"));
    }

    @ParameterizedTest
    @MethodSource("upstreamKeys")
    void everyDerivationStepMatchesUpstream(JsonNode v) {
        JsonNode expected = v.get("derivation");

        DeterministicKeys.Derivation d = DeterministicKeys.derive(Vectors.bytes(v, "seed_hex"));

        assertThat(hex(d.hash())).isEqualTo(text(expected, "hash"));
        assertThat(hex(d.seckey1())).isEqualTo(text(expected, "seckey1"));
        assertThat(hex(d.pubkey2())).isEqualTo(text(expected, "pubkey2"));
        assertThat(hex(d.ecdhRawPoint())).isEqualTo(text(expected, "ecdh_raw_point"));
        assertThat(hex(d.seed1())).isEqualTo(text(expected, "seed1"));
        assertThat(hex(d.seed2())).isEqualTo(text(expected, "seed2"));
        assertThat(d.iterationsForSecret()).isEqualTo(expected.get("sha256_iterations_for_sk").asInt());
        assertThat(hex(d.secret())).isEqualTo(text(v, "sk"));
    }

    @ParameterizedTest
    @MethodSource("upstreamKeys")
    void secretHexGivesTheSamePublicKey(JsonNode v) {
        KeyPair key = KeyPair.fromSecretHex(text(v, "sk"));

        assertThat(key.publicKey()).isEqualTo(Vectors.key(v, "pk"));
        assertThat(KeyPair.fromSecretHex(text(v, "sk").toUpperCase()).publicKey()).isEqualTo(key.publicKey());
    }

    @Test
    void rolesNameTheUpstreamKeys() {
        JsonNode roles = KEYS.get("roles");
        assertThat(KeyPair.deterministic(seed("dmsg-vector-seed-A")).publicKey().hex()).isEqualTo(text(roles, "A"));
        assertThat(KeyPair.deterministic(seed("dmsg-vector-seed-B")).publicKey().hex()).isEqualTo(text(roles, "B"));
        assertThat(KeyPair.deterministic(seed("dmsg-vector-seed-S")).publicKey().hex()).isEqualTo(text(roles, "S"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"noise_xk.json", "noise_kk.json"})
    void noiseEphemeralKeysComeFromTheSameDerivation(String file) {
        JsonNode keys = Vectors.load(file).get("keys");
        for (String role : new String[] {"initiator_ephemeral", "responder_ephemeral", "initiator_static", "responder_static"}) {
            KeyPair key = KeyPair.deterministic(seed(text(keys, role + "_seed")));
            assertThat(key.secretHex()).as(role).isEqualTo(text(keys, role + "_sk"));
            assertThat(key.publicKey().hex()).as(role).isEqualTo(text(keys, role + "_pk"));
        }
    }

    @Test
    void emptySeedIsRefused() {
        assertThatThrownBy(() -> KeyPair.deterministic(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("seed must not be empty");
    }

    @Test
    void secretsOutsideTheGroupOrderAreRefused() {
        byte[] n = Secp256k1.to32(Secp256k1.N);
        byte[] nPlusOne = Secp256k1.to32(Secp256k1.N.add(BigInteger.ONE));
        byte[] allOnes = Vectors.unhex("ff".repeat(32));
        for (byte[] bad : new byte[][] {new byte[32], n, nPlusOne, allOnes}) {
            assertThatThrownBy(() -> KeyPair.fromSecret(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("out of range");
        }
        byte[] nMinusOne = Secp256k1.to32(Secp256k1.N.subtract(BigInteger.ONE));
        assertThat(KeyPair.fromSecret(nMinusOne).secret()).isEqualTo(nMinusOne);
        assertThat(KeyPair.fromSecret(Secp256k1.to32(BigInteger.ONE)).publicKey().hex())
                .isEqualTo("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    }

    @Test
    void malformedSecretsGiveReadableMessages() {
        assertThatThrownBy(() -> KeyPair.fromSecret(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("secret key must be 32 bytes, got 31");
        assertThatThrownBy(() -> KeyPair.fromSecret(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("secret key must be 32 bytes, got none");
        assertThatThrownBy(() -> KeyPair.fromSecretHex("abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("secret key must be 64 hex characters, got 3");
        assertThatThrownBy(() -> KeyPair.fromSecretHex("zz".repeat(32)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("secret key is not hex");
        assertThatThrownBy(() -> KeyPair.fromSecretHex("  "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("secret key is empty");
        assertThatThrownBy(() -> KeyPair.fromSecretHex("00".repeat(32)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    @Test
    void fromSecretKeepsItsOwnCopy() {
        byte[] sk = Vectors.unhex(text(KEYS.get("keys").get(0), "sk"));
        KeyPair key = KeyPair.fromSecret(sk);
        sk[0] ^= 1;
        byte[] copy = key.secret();
        copy[1] ^= 1;

        assertThat(key.secretHex()).isEqualTo(text(KEYS.get("keys").get(0), "sk"));
    }

    @Test
    void generatedKeysAreValidAndDistinct() {
        Set<PeerKey> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            KeyPair key = KeyPair.generate();
            assertThat(Secp256k1.isValidPublicKey(key.publicKey())).isTrue();
            assertThat(KeyPair.fromSecret(key.secret()).publicKey()).isEqualTo(key.publicKey());
            seen.add(key.publicKey());
        }
        assertThat(seen).hasSize(20);
    }

    @Test
    void destroyWipesTheSecret() {
        KeyPair key = KeyPair.generate();
        key.destroy();

        assertThat(key.isDestroyed()).isTrue();
        assertThatThrownBy(key::secret).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(key::secretHex).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Signatures.sign(new byte[] {1}, key)).isInstanceOf(IllegalStateException.class);
        assertThat(key.publicKey()).isNotNull();
    }

    @Test
    void toStringNeverShowsTheSecret() {
        KeyPair key = KeyPair.generate();
        assertThat(key.toString()).contains(key.publicKey().hex()).doesNotContain(key.secretHex());
    }

    private static byte[] seed(String utf8) {
        return utf8.getBytes(StandardCharsets.UTF_8);
    }
}
