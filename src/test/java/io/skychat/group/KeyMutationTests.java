package io.skychat.group;

import static io.skychat.group.GroupFixtures.ALICE;
import static io.skychat.group.GroupFixtures.BOB;
import static io.skychat.group.GroupFixtures.CAROL;
import static io.skychat.group.GroupFixtures.DAVE;
import static io.skychat.group.GroupFixtures.GROUP;
import static io.skychat.group.GroupFixtures.NOW;
import static io.skychat.group.GroupFixtures.NOW_NANO;
import static io.skychat.group.GroupFixtures.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import io.skychat.crypto.Aead;
import io.skychat.crypto.Secp256k1;
import io.skychat.group.GroupException.Reason;
import io.skychat.support.Keys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key rotation of notes §6.7 (upstream keyrotate.go): ephemeral ECDH wraps, blinded tags, signed digest. */
class KeyMutationTests {

    static final GroupKey NEXT = new GroupKey(GroupFixtures.HEX.parseHex("1111111111111111111111111111111111111111111111111111111111111111"), 1);
    static final List<PeerKey> REMAINING = List.of(ALICE.publicKey(), CAROL.publicKey());

    static KeyMutation rotation() {
        return KeyMutation.rotate(ALICE, GROUP, 1, NEXT, REMAINING, 0, NOW_NANO);
    }

    @Test
    void everyRemainingMemberOpensTheNewKeyAndTheRemovedOneDoesNot() {
        KeyMutation m = KeyMutation.fromJson(rotation().toJson());
        m.verify();

        assertThat(m.openFor(ALICE)).contains(NEXT);
        assertThat(m.openFor(CAROL)).contains(NEXT);
        assertThat(m.openFor(BOB)).isEmpty();
        assertThat(m.wraps()).hasSize(2).allSatisfy(w -> {
            assertThat(w.recipient()).isNull(); // blinded: the roster is not published in the clear
            assertThat(w.tag()).hasSize(16);
            assertThat(w.sealed()).hasSize(12 + 32 + 16);
        });
        assertThat(m.wraps().get(0).ephPk()).isEqualTo(m.wraps().get(1).ephPk()).isNotEqualTo(ALICE.publicKey());
    }

    @Test
    void aWrapIsNonceThenChaChaPolyUnderTheShaOfTheSharedPointAndItsTagIsTheLabelledDigest() throws Exception {
        KeyMutation m = rotation();
        byte[] carolSk = CAROL.secret();
        for (KeyMutation.Wrap w : m.wraps()) {
            byte[] wrapKey = Secp256k1.ecdh(carolSk, w.ephPk());
            byte[] tag = Arrays.copyOf(sha256("skychat-group-wrap-tag-v1".getBytes(StandardCharsets.US_ASCII), wrapKey), 16);
            if (Arrays.equals(tag, w.tag())) {
                byte[] sealed = w.sealed();
                byte[] key = Aead.open(wrapKey, Arrays.copyOf(sealed, 12), Arrays.copyOfRange(sealed, 12, sealed.length), null);
                assertThat(key).containsExactly(NEXT.bytes());
                return;
            }
        }
        throw new AssertionError("no wrap carries Carol's tag");
    }

    @Test
    void canonicalBytesFoldTheSortedWrapsIntoOneDigest() {
        byte[] tagA = new byte[16];
        Arrays.fill(tagA, (byte) 0xaa);
        byte[] tagB = new byte[16];
        Arrays.fill(tagB, (byte) 0xbb);
        PeerKey eph = DAVE.publicKey();
        KeyMutation m = new KeyMutation(GROUP, 5, List.of(
                new KeyMutation.Wrap(BOB.publicKey(), null, new byte[] {7}, null),
                new KeyMutation.Wrap(null, tagB, new byte[] {1, 2, 3}, eph),
                new KeyMutation.Wrap(null, tagA, new byte[] {4, 5}, eph)), 0, NOW_NANO, ALICE.publicKey(), null);

        byte[] zero33 = new byte[33];
        byte[] wraps = new GroupFixtures.Bytes()
                .raw(zero33).be64(2).hex("0405").raw(eph.toBytes()).raw(tagA)
                .raw(zero33).be64(3).hex("010203").raw(eph.toBytes()).raw(tagB)
                .hex(Keys.BOB_PK).be64(1).hex("07").get();
        byte[] expected = new GroupFixtures.Bytes().u8(1).u8(4).hex("72afa4098b2e4323aa1e8be57f30ebd5")
                .be64(5).raw(sha256(wraps)).be64(0).hex("18ed2c8a8e960000").hex(Keys.ALICE_PK).get();

        assertThat(m.canonicalBytes()).containsExactly(expected);
        assertThat(m.sign(ALICE).digest()).containsExactly(sha256(expected));
    }

    @Test
    void reorderedWrapsStillVerifyButAlteredOnesDoNot() {
        KeyMutation m = rotation();
        KeyMutation reordered = new KeyMutation(GROUP, 1, List.of(m.wraps().get(1), m.wraps().get(0)), 0, NOW_NANO,
                m.issuer(), m.signature());
        reordered.verify();

        KeyMutation.Wrap w = m.wraps().get(0);
        byte[] tag = w.tag();
        tag[0] ^= 1;
        KeyMutation retagged = new KeyMutation(GROUP, 1, List.of(new KeyMutation.Wrap(null, tag, w.sealed(), w.ephPk()),
                m.wraps().get(1)), 0, NOW_NANO, m.issuer(), m.signature());
        assertThatThrownBy(retagged::verify).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
        KeyMutation reEpoched = new KeyMutation(GROUP, 2, m.wraps(), 0, NOW_NANO, m.issuer(), m.signature());
        assertThatThrownBy(reEpoched::verify).isInstanceOf(GroupException.class);
    }

    @Test
    void aRotationForNobodyIsRefused() {
        assertThatThrownBy(() -> KeyMutation.rotate(ALICE, GROUP, 1, NEXT, List.of(), 0, NOW_NANO))
                .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_MUTATION))
                .hasMessageContaining("at least one wrap");
    }

    @Test
    void jsonNamesTheWrapFieldsAndWritesZeroKeysAsGoDoes() {
        KeyMutation m = rotation();
        String json = new String(m.toJson(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"group_id\":\"" + GROUP.value() + "\",\"epoch\":1,\"wraps\":[{\"recipient_pk\":\""
                + "0".repeat(66) + "\",\"tag\":\"")
                .contains("\",\"sealed\":\"", "\",\"eph_pk\":\"" + m.wraps().get(0).ephPk().hex() + "\"}")
                .endsWith("],\"parent_seq\":0,\"issued_at\":\"2026-12-01T16:00:00Z\",\"issuer_pk\":\"" + Keys.ALICE_PK
                        + "\",\"signature\":\"" + GroupFixtures.HEX.formatHex(m.signature()) + "\"}");
        assertThat(KeyMutation.fromJson(m.toJson())).isEqualTo(m);
    }

    @Test
    void aLegacyWrapNamedByRecipientAndSealedWithTheIssuersKeyStillOpens() throws Exception {
        byte[] aliceSk = ALICE.secret();
        byte[] wrapKey = Secp256k1.ecdh(aliceSk, CAROL.publicKey());
        byte[] nonce = new byte[12];
        byte[] ct = Aead.seal(wrapKey, nonce, NEXT.bytes(), null);
        byte[] sealed = Arrays.copyOf(nonce, 12 + ct.length);
        System.arraycopy(ct, 0, sealed, 12, ct.length);
        KeyMutation legacy = new KeyMutation(GROUP, 1, List.of(new KeyMutation.Wrap(CAROL.publicKey(), null, sealed, null)), 0,
                NOW_NANO, null, null).sign(ALICE);

        KeyMutation back = KeyMutation.fromJson(legacy.toJson());
        back.verify();
        assertThat(back.openFor(CAROL)).contains(NEXT);
        assertThat(back.openFor(BOB)).isEmpty();
    }

    @Test
    void onlyACurrentAdminsFreshRotationIsAccepted() {
        Governance g = Governance.create(GROUP, ALICE.publicKey(), GroupKind.PRIVATE, List.of(BOB.publicKey(), CAROL.publicKey()));
        KeyMutation m = rotation();

        Governance after = g.apply(m, NOW);
        assertThat(after.keyEpoch()).isEqualTo(1);
        assertThatThrownBy(() -> after.apply(m, NOW)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.REPLAYED));
        KeyMutation older = KeyMutation.rotate(ALICE, GROUP, 2, GroupKey.random(2), REMAINING, 0, NOW_NANO - 1);
        assertThatThrownBy(() -> after.apply(older, NOW)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.STALE));
        KeyMutation byBob = KeyMutation.rotate(BOB, GROUP, 9, GroupKey.random(9), REMAINING, 0, NOW_NANO + 1);
        assertThatThrownBy(() -> after.apply(byBob, NOW)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ADMIN));
        Governance publicGroup = Governance.create(GROUP, ALICE.publicKey(), GroupKind.PUBLIC, List.of());
        assertThatThrownBy(() -> publicGroup.apply(m, NOW)).hasMessageContaining("has no key");
    }

    @Test
    void theRingKeepsTheCurrentKeyAndAtMost32RetiredOnesDroppingTheOldest() {
        KeyRing ring = KeyRing.of(new GroupKey(new byte[32], 0));
        for (int e = 1; e <= 40; e++) {
            ring = ring.install(GroupKey.random(e), NOW_NANO + e);
        }
        assertThat(ring.size()).isEqualTo(1 + KeyRing.MAX_RETIRED);
        assertThat(ring.current().orElseThrow().epoch()).isEqualTo(40);
        assertThat(ring.keys().get(1).epoch()).isEqualTo(39);
        assertThat(ring.byEpoch(8)).isPresent();
        assertThat(ring.byEpoch(7)).isEmpty();
        assertThat(ring.byEpoch(0)).isEmpty();
    }

    @Test
    void anOlderEpochOrALosingSameEpochKeyIsKeptButDoesNotBecomeCurrent() {
        GroupKey two = GroupKey.random(2);
        KeyRing ring = KeyRing.of(two).install(two, NOW_NANO).install(GroupKey.random(1), NOW_NANO);
        assertThat(ring.current()).contains(two);
        assertThat(ring.size()).isEqualTo(2);

        GroupKey rival = GroupKey.random(2);
        KeyRing later = ring.install(rival, NOW_NANO + 1);
        assertThat(later.current()).contains(rival);
        assertThat(later.keys()).contains(two);
        KeyRing earlier = later.install(GroupKey.random(2), NOW_NANO);
        assertThat(earlier.current()).contains(rival);
        assertThat(earlier.size()).isEqualTo(4);
    }

    @Test
    void sealedGovernanceOpensWithAnyHeldKeyAndPlaintextPassesThrough() {
        byte[] envelope = Mutation.add(ALICE, GROUP, BOB.publicKey(), NOW_NANO).toJson();
        GroupKey old = GroupKey.random(0);
        byte[] sealed = GossipSeal.seal(old, envelope);

        assertThat(Arrays.copyOf(sealed, 4)).containsExactly("SKG1".getBytes(StandardCharsets.US_ASCII));
        assertThat(sealed).hasSize(4 + 12 + envelope.length + 16);
        assertThat(GossipSeal.open(KeyRing.of(old).install(NEXT, NOW_NANO), sealed)).containsExactly(envelope);
        assertThat(GossipSeal.open(KeyRing.empty(), envelope)).isSameAs(envelope);
        assertThatThrownBy(() -> GossipSeal.open(KeyRing.of(NEXT), sealed)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.DECRYPT_FAILED));
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThatThrownBy(() -> GossipSeal.open(KeyRing.of(old), flipped)).isInstanceOf(GroupException.class);
        assertThatThrownBy(() -> GossipSeal.open(KeyRing.of(old), Arrays.copyOf(sealed, 10)))
                .hasMessageContaining("truncated");
    }
}
