package io.skychat.group;

import static io.skychat.group.GroupFixtures.ALICE;
import static io.skychat.group.GroupFixtures.BOB;
import static io.skychat.group.GroupFixtures.NOW_NANO;
import static io.skychat.group.GroupFixtures.sha256;
import static io.skychat.group.GroupFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.crypto.Signatures;
import io.skychat.group.GroupException.Reason;
import io.skychat.support.Keys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Message leaves of notes §6.5: canonical bytes, double SHA-256 signature, AES-256-GCM bodies, JSON. */
class GroupLeafTests {

    static final GroupKey KEY = new GroupKey(GroupFixtures.HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), 0);

    @Test
    void canonicalBytesAreVersionSenderTimeThenThreeLengthPrefixedFields() {
        GroupLeaf leaf = new GroupLeaf(ALICE.publicKey(), NOW_NANO, "hé", new byte[] {1, 2, 3}, new byte[] {9, 9}, null);
        byte[] expected = new GroupFixtures.Bytes().u8(1).hex(Keys.ALICE_PK).hex("18ed2c8a8e960000")
                .hex("00000003").hex("68c3a9").hex("00000003").hex("010203").hex("00000002").hex("0909").get();
        assertThat(Long.toHexString(NOW_NANO)).isEqualTo("18ed2c8a8e960000");
        assertThat(leaf.canonicalBytes()).containsExactly(expected);
        assertThat(leaf.digest()).containsExactly(sha256(expected));
    }

    @Test
    void theSignatureIsSignPayloadOverTheCanonicalDigestSoTwoShaPassesPrecedeEcdsa() throws Exception {
        GroupLeaf leaf = GroupLeaf.signed(ALICE, NOW_NANO, "hello");
        byte[] canonical = leaf.canonicalBytes();

        leaf.verify();
        Signatures.verifyHash(ALICE.publicKey(), leaf.signature(), sha256(sha256(canonical)));
        assertThatThrownBy(() -> Signatures.verifyHash(ALICE.publicKey(), leaf.signature(), sha256(canonical)))
                .isInstanceOf(io.skychat.crypto.SignatureException.class);
    }

    @Test
    void aTamperedLeafFailsVerification() {
        GroupLeaf leaf = GroupLeaf.signed(ALICE, NOW_NANO, "pay bob 5");
        byte[] sig = leaf.signature();
        GroupLeaf[] tampered = {
            new GroupLeaf(ALICE.publicKey(), NOW_NANO, "pay bob 500", null, null, sig),
            new GroupLeaf(ALICE.publicKey(), NOW_NANO + 1, "pay bob 5", null, null, sig),
            new GroupLeaf(BOB.publicKey(), NOW_NANO, "pay bob 5", null, null, sig),
        };
        for (GroupLeaf t : tampered) {
            assertThatThrownBy(t::verify).as(t.toString()).isInstanceOfSatisfying(GroupException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE)).hasMessageContaining("bad signature");
        }
        sig[10] ^= 1;
        assertThatThrownBy(() -> new GroupLeaf(ALICE.publicKey(), NOW_NANO, "pay bob 5", null, null, sig).verify())
                .isInstanceOf(GroupException.class);
    }

    @Test
    void anUnsignedLeafIsRefused() {
        assertThatThrownBy(() -> new GroupLeaf(ALICE.publicKey(), NOW_NANO, "hi", null, null, null).verify())
                .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE))
                .hasMessageContaining("unsigned");
    }

    @Test
    void aSealedLeafHasNoTextAndOpensWithTheGroupKey() {
        GroupLeaf leaf = GroupLeaf.sealed(ALICE, NOW_NANO, "secret plans", KEY);

        leaf.verify();
        assertThat(leaf.text()).isEmpty();
        assertThat(leaf.nonce()).hasSize(12);
        assertThat(leaf.ciphertext()).hasSize("secret plans".length() + 16);
        assertThat(leaf.open(KEY)).isEqualTo("secret plans");
        GroupLeaf fromWire = GroupLeaf.fromJson(leaf.toJson());
        fromWire.verify();
        assertThat(fromWire.open(KEY)).isEqualTo("secret plans");
    }

    @Test
    void aBodyThatDoesNotDecryptIsRefused() {
        GroupLeaf leaf = GroupLeaf.sealed(ALICE, NOW_NANO, "secret plans", KEY);
        GroupKey wrong = GroupKey.random(0);
        assertThatThrownBy(() -> leaf.open(wrong)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.DECRYPT_FAILED)).hasMessageContaining("does not decrypt");

        byte[] ct = leaf.ciphertext();
        ct[0] ^= 0x01;
        GroupLeaf flipped = new GroupLeaf(ALICE.publicKey(), NOW_NANO, "", ct, leaf.nonce(), leaf.signature());
        assertThatThrownBy(() -> flipped.open(KEY)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.DECRYPT_FAILED));
        assertThatThrownBy(flipped::verify).isInstanceOf(GroupException.class); // and the signature no longer covers it

        byte[] nonce = leaf.nonce();
        nonce[11] ^= (byte) 0x80;
        assertThatThrownBy(() -> new GroupLeaf(ALICE.publicKey(), NOW_NANO, "", leaf.ciphertext(), nonce, null).open(KEY))
                .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DECRYPT_FAILED));
    }

    @Test
    void aPrivateBodyOpensWithAnOlderKeyOfTheRingAndNotWithoutOne() {
        GroupKey epoch1 = GroupKey.random(1);
        KeyRing ring = KeyRing.of(KEY).install(epoch1, NOW_NANO);
        GroupLeaf old = GroupLeaf.sealed(ALICE, NOW_NANO, "before rotation", KEY);
        GroupLeaf fresh = GroupLeaf.sealed(ALICE, NOW_NANO, "after rotation", epoch1);

        assertThat(ring.current()).contains(epoch1);
        assertThat(ring.open(old)).isEqualTo("before rotation");
        assertThat(ring.open(fresh)).isEqualTo("after rotation");
        assertThat(ring.open(GroupLeaf.signed(ALICE, NOW_NANO, "plain"))).isEqualTo("plain");
        assertThatThrownBy(() -> KeyRing.of(KEY).open(fresh)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.DECRYPT_FAILED));
        assertThatThrownBy(() -> KeyRing.empty().open(fresh)).hasMessageContaining("no group key is held");
    }

    @Test
    void jsonIsSenderTsThenTheNonEmptyBodyFieldsThenTheSignature() {
        byte[] sig = new byte[65];
        sig[0] = 1;
        GroupLeaf plain = new GroupLeaf(ALICE.publicKey(), NOW_NANO + 120_000, "a<b", null, null, sig);
        assertThat(new String(plain.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"sender_pk\":\"" + Keys.ALICE_PK
                + "\",\"ts\":\"2026-12-01T16:00:00.00012Z\",\"text\":\"a\\u003cb\",\"signature\":\"01" + "0".repeat(128) + "\"}");

        GroupLeaf sealed = new GroupLeaf(ALICE.publicKey(), NOW_NANO, "", new byte[] {1, 2, 3, 4}, new byte[12], null);
        assertThat(new String(sealed.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"sender_pk\":\"" + Keys.ALICE_PK
                + "\",\"ts\":\"2026-12-01T16:00:00Z\",\"ciphertext\":\"AQIDBA==\",\"nonce\":\""
                + Base64.getEncoder().encodeToString(new byte[12]) + "\",\"signature\":\"" + "0".repeat(130) + "\"}");
        assertThat(GroupLeaf.fromJson(sealed.toJson())).isEqualTo(sealed);
        assertThat(GroupLeaf.fromJson(sealed.toJson()).isSigned()).isFalse();
    }

    @Test
    void malformedLeavesAreRefused() {
        assertThatThrownBy(() -> GroupLeaf.fromJson(utf8("{\"ts\":\"2026-12-01T16:00:00Z\",\"text\":\"x\"}")))
                .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_LEAF))
                .hasMessageContaining("sender_pk");
        assertThatThrownBy(() -> GroupLeaf.fromJson(utf8("{\"sender_pk\":\"" + Keys.ALICE_PK + "\"}")))
                .hasMessageContaining("ts is missing");
        assertThatThrownBy(() -> GroupLeaf.fromJson(utf8("{\"sender_pk\":\"" + Keys.ALICE_PK
                + "\",\"ts\":\"2026-12-01T16:00:00Z\",\"signature\":\"abcd\"}"))).hasMessageContaining("130 hex");
        assertThatThrownBy(() -> GroupLeaf.fromJson(utf8("[]"))).hasMessageContaining("not a JSON object");
    }

    @Test
    void leafPathsNameTheSenderTheTimeAndTheSeq() {
        String path = GroupPaths.msg(ALICE.publicKey(), NOW_NANO, 7);
        assertThat(path).isEqualTo("msgs/" + Keys.ALICE_PK + "/1796140800000000000/7");
        assertThat(GroupPaths.parseMsg(path)).contains(new GroupPaths.MsgPath(ALICE.publicKey(), NOW_NANO, 7));
        assertThat(GroupPaths.parseMsg("msgs/1796140800000000000/7")).isEmpty();
        assertThat(GroupPaths.parseMsg("msgs/" + Keys.ALICE_PK + "/x/7")).isEmpty();
        assertThat(GroupPaths.msgPrefix(ALICE.publicKey(), NOW_NANO)).isEqualTo("msgs/" + Keys.ALICE_PK + "/1796140800000000000");
        assertThat(GroupPaths.roster(3)).isEqualTo("roster/3");
        assertThat(GroupPaths.admin(4)).isEqualTo("admin/4");
        assertThat(GroupPaths.keys(5)).isEqualTo("keys/5");
        assertThat(GroupPaths.parseSeq(GroupPaths.ROSTER, "roster/12")).hasValue(12);
        assertThat(GroupPaths.parseSeq(GroupPaths.ROSTER, "roster/-1")).isEmpty();
        assertThat(GroupPaths.parseSeq(GroupPaths.ROSTER, "admin/1")).isEmpty();
    }
}
