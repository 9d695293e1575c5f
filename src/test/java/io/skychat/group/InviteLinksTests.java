package io.skychat.group;

import static io.skychat.group.GroupFixtures.ALICE;
import static io.skychat.group.GroupFixtures.BOB;
import static io.skychat.group.GroupFixtures.CAROL;
import static io.skychat.group.GroupFixtures.GROUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.group.GroupException.Reason;
import io.skychat.support.Keys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invite links as upstream invite.go writes and refuses them; expected JSON written by hand from notes §6.3. */
class InviteLinksTests {

    static String link(String json) {
        return "skychat:invite:" + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String json(String owner, int port, String mode, String extra) {
        return "{\"id\":\"" + GROUP.value() + "\",\"name\":\"ops\",\"owner_pk\":\"" + owner + "\",\"port\":" + port
                + ",\"mode\":\"" + mode + "\"" + extra + "}";
    }

    @Test
    void encodesTheJsonFieldsInGoOrderAsBase64UrlWithoutPadding() {
        Invite invite = new Invite(GROUP, "ops <team>", ALICE.publicKey(), 41234, GroupKind.PRIVATE,
                List.of(BOB.publicKey()), 18);
        String expected = "{\"id\":\"72afa409-8b2e-4323-aa1e-8be57f30ebd5\",\"name\":\"ops \\u003cteam\\u003e\",\"owner_pk\":\""
                + Keys.ALICE_PK + "\",\"port\":41234,\"mode\":\"private\",\"kind\":\"private\",\"admins\":[\"" + Keys.BOB_PK
                + "\"],\"pow_bits\":18}";

        String link = InviteLinks.encode(invite);

        assertThat(link).isEqualTo(link(expected)).doesNotContain("=", "+", "/");
        assertThat(InviteLinks.decode(link)).isEqualTo(invite);
    }

    @Test
    void emptyAdminsAndZeroPowAreLeftOutAsGoOmitsThem() {
        Invite invite = new Invite(GROUP, "ops", ALICE.publicKey(), 7001, GroupKind.CHANNEL, List.of(), 0);
        assertThat(InviteLinks.encode(invite)).isEqualTo(link(json(Keys.ALICE_PK, 7001, "public", ",\"kind\":\"channel\"")));
    }

    @Test
    void aLinkFromBeforeChannelsTakesItsKindFromTheMode() {
        assertThat(InviteLinks.decode(link(json(Keys.ALICE_PK, 7001, "public", ""))).kind()).isEqualTo(GroupKind.PUBLIC);
        assertThat(InviteLinks.decode(link(json(Keys.ALICE_PK, 7001, "private", ""))).kind()).isEqualTo(GroupKind.PRIVATE);
    }

    @Test
    void surroundingWhitespaceIsAccepted() {
        Invite invite = new Invite(GROUP, "ops", ALICE.publicKey(), 7001, GroupKind.PUBLIC, List.of(), 0);
        assertThat(InviteLinks.decode("  \n" + InviteLinks.encode(invite) + "\t ")).isEqualTo(invite);
    }

    @Test
    void aLegacyAesKeyInAPrivateInviteIsAcceptedAndNotKept() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        Invite invite = InviteLinks.decode(link(json(Keys.ALICE_PK, 7001, "private", ",\"aes_key\":\"" + key + "\"")));
        assertThat(invite.kind()).isEqualTo(GroupKind.PRIVATE);
        assertThat(InviteLinks.encode(invite)).doesNotContain(key);
    }

    @Test
    void powBitsFromALinkAreClampedTo26() {
        assertThat(InviteLinks.decode(link(json(Keys.ALICE_PK, 7001, "public", ",\"pow_bits\":40"))).powBits()).isEqualTo(26);
        assertThat(InviteLinks.decode(link(json(Keys.ALICE_PK, 7001, "public", ",\"pow_bits\":26"))).powBits()).isEqualTo(26);
        assertThat(InviteLinks.decode(link(json(Keys.ALICE_PK, 7001, "public", ",\"pow_bits\":9"))).powBits()).isEqualTo(9);
    }

    @Test
    void admissionGoesToTheFounderThenTheListedAdminsAtMostFourNeverSelf() {
        Invite invite = new Invite(GROUP, "ops", ALICE.publicKey(), 7001, GroupKind.PRIVATE,
                List.of(BOB.publicKey(), ALICE.publicKey(), CAROL.publicKey(), GroupFixtures.DAVE.publicKey(),
                        io.skychat.crypto.KeyPair.deterministic(new byte[] {9}).publicKey()), 0);
        assertThat(invite.admins()).hasSize(4).doesNotContain(ALICE.publicKey());
        assertThat(invite.admissionTargets(CAROL.publicKey())).containsExactly(ALICE.publicKey(), BOB.publicKey(),
                GroupFixtures.DAVE.publicKey(), io.skychat.crypto.KeyPair.deterministic(new byte[] {9}).publicKey());
        assertThat(invite.admissionTargets(ALICE.publicKey())).startsWith(BOB.publicKey()).hasSize(4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no prefix               | skychat:invit:eyJpZCI6IjEifQ                     | must start with
            nothing after prefix    | skychat:invite:                                  | nothing after
            padding                 | skychat:invite:eyJpZCI6IjEifQ==                  | without padding
            not base64url           | skychat:invite:eyJpZCI6!!!                       | not base64url
            not json                | skychat:invite:bm90IGpzb24                       | not JSON
            array                   | skychat:invite:WzFd                              | not a JSON object
            """)
    void malformedLinksAreRefusedWithTheFault(String name, String link, String fault) {
        assertThatThrownBy(() -> InviteLinks.decode(link)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.BAD_INVITE)).hasMessageContaining(fault);
    }

    @Test
    void aTruncatedLinkIsRefused() {
        String good = InviteLinks.encode(new Invite(GROUP, "ops", ALICE.publicKey(), 7001, GroupKind.PUBLIC, List.of(), 0));
        for (int cut = 1; cut < good.length() - InviteLinks.PREFIX.length(); cut++) {
            String truncated = good.substring(0, good.length() - cut);
            assertThatThrownBy(() -> InviteLinks.decode(truncated)).as("cut %d", cut)
                    .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_INVITE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            zero owner              | 000000000000000000000000000000000000000000000000000000000000000000 | 7001 | public  |                         | empty owner_pk
            missing owner           | ''                                                                 | 7001 | public  |                         | empty owner_pk
            owner off the curve     | 020000000000000000000000000000000000000000000000000000000000000005 | 7001 | public  |                         | not a point
            port 0                  | KEY                                                                | 0    | public  |                         | port 0
            port beyond 16 bits     | KEY                                                                | 70000| public  |                         | out of range
            unknown mode            | KEY                                                                | 7001 | secret  |                         | invalid mode
            kind contradicts mode   | KEY                                                                | 7001 | public  | ,"kind":"private"       | does not match mode
            channel is public       | KEY                                                                | 7001 | private | ,"kind":"channel"       | does not match mode
            unknown kind            | KEY                                                                | 7001 | public  | ,"kind":"forum"         | invalid kind
            aes key in public       | KEY                                                                | 7001 | public  | ,"aes_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" | must not carry an AES key
            short aes key           | KEY                                                                | 7001 | private | ,"aes_key":"AAAA"       | must be 32 bytes
            pow beyond 8 bits       | KEY                                                                | 7001 | public  | ,"pow_bits":300         | out of range
            """)
    void invitesUpstreamRefusesAreRefused(String name, String owner, int port, String mode, String extra, String fault) {
        String o = owner.equals("KEY") ? Keys.ALICE_PK : owner;
        String link = link(json(o, port, mode, extra == null ? "" : extra));
        assertThatThrownBy(() -> InviteLinks.decode(link)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.BAD_INVITE)).hasMessageContaining(fault);
    }

    @Test
    void anEmptyOrJunkGroupIdIsRefused() {
        String noId = "{\"name\":\"ops\",\"owner_pk\":\"" + Keys.ALICE_PK + "\",\"port\":7001,\"mode\":\"public\"}";
        assertThatThrownBy(() -> InviteLinks.decode(link(noId))).hasMessageContaining("empty group id");
        String junk = noId.replace("{", "{\"id\":\"not-a-uuid\",");
        assertThatThrownBy(() -> InviteLinks.decode(link(junk))).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.BAD_INVITE)).hasMessageContaining("UUID");
    }
}
