package io.skychat.pair;

import static io.skychat.feed.FeedVectors.bytes;
import static io.skychat.feed.FeedVectors.field;
import static io.skychat.feed.FeedVectors.hex;
import static io.skychat.feed.FeedVectors.key;
import static io.skychat.feed.FeedVectors.number;
import static io.skychat.feed.FeedVectors.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.FeedVectors;
import io.skychat.feed.Hash;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** skychat_pair.json: pair port, static key, legacy seal, leaves, epochs, envelopes and ratchet announcements. */
class PairVectorTests {

    static final JsonNode V = FeedVectors.load("skychat_pair.json");
    static final JsonNode KEYS = field(V, "keys");

    static KeyPair pair(String role) {
        KeyPair k = FeedVectors.keyPair(field(KEYS, role));
        assertThat(k.publicKey().hex()).isEqualTo(text(field(KEYS, role), "pk"));
        assertThat(KeyPair.deterministic(text(field(KEYS, role), "seed_utf8").getBytes(StandardCharsets.UTF_8))
                .publicKey()).isEqualTo(k.publicKey());
        return k;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void pairPortIsSymmetricAndMatchesItsIntermediates() {
        JsonNode p = field(V, "pair_port");
        PeerKey a = key(p, "a");
        PeerKey b = key(p, "b");
        assertThat(PairPort.BASE).isEqualTo(number(p, "port_base"));
        assertThat(PairPort.SPAN).isEqualTo(number(p, "port_span"));
        assertThat(hex(PairPort.sha256(key(p, "lo").toBytes(), key(p, "hi").toBytes()))).isEqualTo(text(p, "sha256_lo_hi"));
        assertThat(PairPort.BASE + number(p, "raw_be32") % PairPort.SPAN).isEqualTo(number(p, "port"));
        assertThat(PairPort.of(a, b)).isEqualTo(number(p, "port"));
        assertThat(PairPort.of(b, a)).isEqualTo(number(p, "port"));
    }

    @Test
    void theWalkStepsOverReservedPortsAndWrapsInsideTheSpan() {
        JsonNode p = field(V, "pair_port");
        int port = (int) number(p, "port");
        Set<Integer> reserved = new HashSet<>(PairPort.RESERVED);
        reserved.add(port);
        reserved.add(port + 1);
        assertThat(PairPort.of(key(p, "a"), key(p, "b"), reserved)).isEqualTo(port + 2);
        for (int taken = port; taken < PairPort.BASE + PairPort.SPAN; taken++) {
            reserved.add(taken);
        }
        assertThat(PairPort.of(key(p, "a"), key(p, "b"), reserved)).isEqualTo(PairPort.BASE);
    }

    @Test
    void theStaticKeyIsTheHashedSharedPointFromEitherSide() {
        JsonNode s = field(V, "static_pair_key");
        byte[] fromA = PairCipher.staticKey(pair("A"), pair("B").publicKey());
        byte[] fromB = PairCipher.staticKey(pair("B"), pair("A").publicKey());
        assertThat(hex(fromA)).isEqualTo(text(s, "key")).isEqualTo(hex(fromB));
        assertThat(Hash.of(bytes(s, "ecdh_raw_point_33")).hex()).isEqualTo(text(s, "key"));
    }

    @Test
    void theLegacySealWithTheVectorNonceIsByteExactAndOpens() {
        JsonNode m = field(V, "legacy_message");
        byte[] key = PairCipher.staticKey(pair("A"), pair("B").publicKey());
        byte[] json = text(m, "message_json").getBytes(StandardCharsets.UTF_8);

        assertThat(hex(PairCipher.seal(key, bytes(m, "nonce"), json))).isEqualTo(text(m, "sealed_leaf"));
        byte[] opened = PairCipher.open(PairCipher.staticKey(pair("B"), pair("A").publicKey()), bytes(m, "sealed_leaf"));
        PairMessage message = PairMessage.fromJson(opened);
        assertThat(utf8(message.toJson())).isEqualTo(text(m, "message_json"));
        assertThat(message.leafPath()).isEqualTo(text(m, "leaf_path"));
        assertThat(message.msgId()).isEqualTo(text(m, "msg_id"));
        assertThat(message.isChat()).isTrue();

        byte[] tampered = bytes(m, "sealed_leaf");
        tampered[20] ^= 1;
        assertThatThrownBy(() -> PairCipher.open(key, tampered)).isInstanceOf(PairException.class);
        assertThatThrownBy(() -> PairCipher.open(key, new byte[27])).isInstanceOf(PairException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void aMessageBuiltFromItsFieldsIsTheVectorJson() {
        JsonNode m = field(V, "legacy_message");
        PairMessage opened = PairMessage.fromJson(text(m, "message_json").getBytes(StandardCharsets.UTF_8));
        PairMessage built = PairMessage.chat("hello bob", Instant.parse("2025-05-11T21:46:40.123456789Z"), 1);
        assertThat(built).isEqualTo(opened);
        assertThat(utf8(built.toJson())).isEqualTo(text(m, "message_json"));
    }

    @Test
    void aDeleteRecordNamesItsTargetAndHasEmptyText() {
        String json = text(V, "delete_record_json");
        PairMessage target = PairMessage.fromJson(text(field(V, "legacy_message"), "message_json").getBytes(StandardCharsets.UTF_8));
        PairMessage delete = PairMessage.delete(target.msgId(), Instant.parse("2025-05-11T21:46:41.123456789Z"), 2);
        assertThat(utf8(delete.toJson())).isEqualTo(json);
        assertThat(PairMessage.fromJson(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(delete);
        assertThat(delete.isChat()).isFalse();
    }

    @Test
    void theEpochIdSecretAndKeyAreTheSameFromBothRatchets() {
        JsonNode e = field(V, "epoch");
        KeyPair ra = pair("ratchet_A");
        KeyPair rb = pair("ratchet_B");
        Epoch fromA = Epoch.derive(ra, rb.publicKey());
        Epoch fromB = Epoch.derive(rb, ra.publicKey());

        assertThat(fromA.idHex()).isEqualTo(text(e, "epoch_id"));
        assertThat(hex(Epoch.secret(ra, rb.publicKey()))).isEqualTo(text(e, "ecdh_secret"));
        assertThat(hex(fromA.key())).isEqualTo(text(e, "epoch_key"));
        assertThat(fromB).isEqualTo(fromA);
    }

    @Test
    void theEpochEnvelopeIsByteExactAndOpensOnTheOtherSide() {
        JsonNode m = field(V, "epoch_message");
        Epoch epoch = Epoch.derive(pair("ratchet_A"), pair("ratchet_B").publicKey());
        byte[] json = text(m, "message_json").getBytes(StandardCharsets.UTF_8);

        EpochEnvelope sealed = EpochEnvelope.seal(epoch, bytes(m, "nonce"), json);
        assertThat(hex(sealed.body())).isEqualTo(text(m, "sealed_body"));
        assertThat(hex(sealed.encode())).isEqualTo(text(m, "envelope"));
        assertThat(utf8(sealed.encode()).substring(4)).isEqualTo(text(m, "envelope_utf8_after_magic"));

        EpochEnvelope parsed = EpochEnvelope.parse(bytes(m, "envelope")).orElseThrow();
        assertThat(parsed).isEqualTo(sealed);
        Epoch theirs = Epoch.derive(pair("ratchet_B"), pair("ratchet_A").publicKey());
        assertThat(utf8(parsed.open(theirs))).isEqualTo(text(m, "message_json"));
        // a legacy leaf is not an envelope: it opens with the static key instead
        assertThat(EpochEnvelope.parse(bytes(field(V, "legacy_message"), "sealed_leaf"))).isEmpty();
    }

    @Test
    void theRatchetAnnouncementsCanonicalBytesAndSignatureVerify() {
        JsonNode r = field(V, "ratchet_announce");
        PeerKey issuer = pair("A").publicKey();
        RatchetAnnounce fromLeaf = RatchetAnnounce.fromJson(text(r, "json").getBytes(StandardCharsets.UTF_8), issuer);

        assertThat(fromLeaf.generation()).isEqualTo(number(r, "generation"));
        assertThat(fromLeaf.ratchetPk()).isEqualTo(key(r, "ratchet_pk"));
        assertThat(fromLeaf.issuerPk()).isEqualTo(key(r, "issuer_pk"));
        assertThat(fromLeaf.issuedAt().getEpochSecond() * 1_000_000_000L + fromLeaf.issuedAt().getNano())
                .isEqualTo(number(r, "issued_at_unixnano"));
        assertThat(hex(fromLeaf.canonicalBytes())).isEqualTo(text(r, "canonical_bytes"));
        assertThat(Hash.of(fromLeaf.canonicalBytes()).hex()).isEqualTo(text(r, "sha256_canonical"));
        assertThat(hex(fromLeaf.signature())).isEqualTo(text(r, "signature"));
        assertThat(utf8(fromLeaf.toJson())).isEqualTo(text(r, "json"));
        assertThat(fromLeaf.leafPath()).isEqualTo(text(r, "leaf_path"));

        // our own signature over the same fields verifies too (the nonce differs, so the bytes do not)
        RatchetAnnounce ours = RatchetAnnounce.sign(fromLeaf.generation(), fromLeaf.ratchetPk(), fromLeaf.issuedAt(), pair("A"));
        ours.verify(issuer);
        assertThat(ours.canonicalBytes()).isEqualTo(fromLeaf.canonicalBytes());
    }

    @Test
    void anAnnouncementFromSomeoneElseOrWithABadSignatureIsRefused() {
        JsonNode r = field(V, "ratchet_announce");
        byte[] json = text(r, "json").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RatchetAnnounce.fromJson(json, pair("B").publicKey()))
                .isInstanceOf(PairException.class).hasMessageContaining("issued by");
        String forged = text(r, "json").replace("\"generation\":1", "\"generation\":2");
        assertThatThrownBy(() -> RatchetAnnounce.fromJson(forged.getBytes(StandardCharsets.UTF_8), pair("A").publicKey()))
                .isInstanceOf(PairException.class).hasMessageContaining("bad signature");
        assertThatThrownBy(() -> RatchetAnnounce.fromJson("{}".getBytes(StandardCharsets.UTF_8), pair("A").publicKey()))
                .isInstanceOf(PairException.class);
    }
}
