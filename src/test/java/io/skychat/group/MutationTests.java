package io.skychat.group;

import static io.skychat.group.GroupFixtures.ALICE;
import static io.skychat.group.GroupFixtures.BOB;
import static io.skychat.group.GroupFixtures.GROUP;
import static io.skychat.group.GroupFixtures.NOW_NANO;
import static io.skychat.group.GroupFixtures.sha256;
import static io.skychat.group.GroupFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.crypto.Signatures;
import io.skychat.group.GroupException.Reason;
import io.skychat.support.Keys;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Roster and admin mutations of notes §6.6 (upstream gossip.go): canonical bytes, signature, JSON. */
class MutationTests {

    @Test
    void canonicalBytesAreVersionUuidOpPeerParentSeqIssuedAtIssuer() {
        Mutation m = Mutation.unsigned(Mutation.Kind.ROSTER, GROUP, Mutation.ADD, BOB.publicKey(), 42, NOW_NANO).sign(ALICE);
        byte[] expected = new GroupFixtures.Bytes().u8(1).hex("72afa4098b2e4323aa1e8be57f30ebd5").u8(1).hex(Keys.BOB_PK)
                .be64(42).hex("18ed2c8a8e960000").hex(Keys.ALICE_PK).get();

        assertThat(expected).hasSize(100);
        assertThat(m.canonicalBytes()).containsExactly(expected);
        assertThat(m.issuer()).isEqualTo(ALICE.publicKey());
    }

    @Test
    void theIssuerSignsTheDigestWithSignPayload() throws Exception {
        Mutation m = Mutation.promote(ALICE, GROUP, BOB.publicKey(), NOW_NANO);
        m.verify();
        Signatures.verifyHash(ALICE.publicKey(), m.signature(), sha256(sha256(m.canonicalBytes())));
        assertThat(m.canonicalBytes()[17]).isEqualTo((byte) Mutation.PROMOTE);
    }

    @Test
    void anyChangedFieldOrAnotherIssuerBreaksTheSignature() {
        Mutation m = Mutation.add(ALICE, GROUP, BOB.publicKey(), NOW_NANO);
        Mutation[] tampered = {
            new Mutation(m.kind(), m.groupId(), Mutation.REMOVE, m.peer(), 0, NOW_NANO, m.issuer(), m.signature()),
            new Mutation(m.kind(), m.groupId(), m.op(), GroupFixtures.CAROL.publicKey(), 0, NOW_NANO, m.issuer(), m.signature()),
            new Mutation(m.kind(), m.groupId(), m.op(), m.peer(), 1, NOW_NANO, m.issuer(), m.signature()),
            new Mutation(m.kind(), m.groupId(), m.op(), m.peer(), 0, NOW_NANO + 1, m.issuer(), m.signature()),
            new Mutation(m.kind(), m.groupId(), m.op(), m.peer(), 0, NOW_NANO, BOB.publicKey(), m.signature()),
            new Mutation(m.kind(), GroupId.random(), m.op(), m.peer(), 0, NOW_NANO, m.issuer(), m.signature()),
        };
        for (Mutation t : tampered) {
            assertThatThrownBy(t::verify).as(t.toString()).isInstanceOfSatisfying(GroupException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
        }
    }

    @Test
    void incompleteOrUnknownMutationsAreRefused() {
        assertThatThrownBy(() -> Mutation.unsigned(Mutation.Kind.ROSTER, GROUP, 3, BOB.publicKey(), 0, NOW_NANO).sign(ALICE))
                .hasMessageContaining("unknown op 3");
        assertThatThrownBy(() -> Mutation.unsigned(Mutation.Kind.ADMIN, GROUP, 1, BOB.publicKey(), 0, 0).sign(ALICE))
                .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_MUTATION));
        assertThatThrownBy(() -> Mutation.unsigned(Mutation.Kind.ADMIN, GROUP, 1, BOB.publicKey(), 0, NOW_NANO).verify())
                .hasMessageContaining("no issuer_pk");
        assertThatThrownBy(() -> new Mutation(Mutation.Kind.ADMIN, GROUP, 1, BOB.publicKey(), 0, NOW_NANO, ALICE.publicKey(), null)
                .verify()).isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void jsonIsGroupIdOpPeerParentSeqIssuedAtIssuerSignatureAndVerifiesAfterARoundTrip() {
        Mutation m = Mutation.remove(ALICE, GROUP, BOB.publicKey(), NOW_NANO + 250_000_000);
        String json = new String(m.toJson(), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"group_id\":\"72afa409-8b2e-4323-aa1e-8be57f30ebd5\",\"op\":2,\"peer_pk\":\"" + Keys.BOB_PK
                + "\",\"parent_seq\":0,\"issued_at\":\"2026-12-01T16:00:00.25Z\",\"issuer_pk\":\"" + Keys.ALICE_PK
                + "\",\"signature\":\"" + GroupFixtures.HEX.formatHex(m.signature()) + "\"}");

        Mutation back = Mutation.fromJson(Mutation.Kind.ROSTER, utf8(json));
        assertThat(back).isEqualTo(m);
        back.verify();
        assertThat(back.path(9)).isEqualTo("roster/9");
        assertThat(back.watermarkKey()).isEqualTo("r:" + Keys.BOB_PK);
    }

    @Test
    void aMutationWhoseWireOpWasChangedNoLongerVerifies() {
        String json = new String(Mutation.add(ALICE, GROUP, BOB.publicKey(), NOW_NANO).toJson(), StandardCharsets.UTF_8);
        Mutation flipped = Mutation.fromJson(Mutation.Kind.ROSTER, utf8(json.replace("\"op\":1", "\"op\":2")));
        assertThatThrownBy(flipped::verify).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void malformedJsonIsRefused() {
        assertThatThrownBy(() -> Mutation.fromJson(Mutation.Kind.ADMIN, utf8("{\"group_id\":\"x\"}")))
                .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_MUTATION));
        assertThatThrownBy(() -> Mutation.fromJson(Mutation.Kind.ADMIN, utf8("{\"group_id\":\"" + GROUP.value()
                + "\",\"op\":1}"))).hasMessageContaining("issued_at is missing");
        assertThatThrownBy(() -> Mutation.fromJson(Mutation.Kind.ADMIN, utf8("{\"group_id\":\"" + GROUP.value()
                + "\",\"op\":999,\"issued_at\":\"2026-12-01T16:00:00Z\"}"))).hasMessageContaining("out of range");
    }
}
