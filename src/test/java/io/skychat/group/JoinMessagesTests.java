package io.skychat.group;

import static io.skychat.group.GroupFixtures.ALICE;
import static io.skychat.group.GroupFixtures.BOB;
import static io.skychat.group.GroupFixtures.CAROL;
import static io.skychat.group.GroupFixtures.GROUP;
import static io.skychat.group.GroupFixtures.NOW;
import static io.skychat.group.GroupFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.group.GroupException.Reason;
import io.skychat.support.Keys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** JoinRequestMsg / JoinResponseMsg JSON as notes §6.4 (upstream join.go) names the fields. */
class JoinMessagesTests {

    @Test
    void aJoinRequestIsWrittenInGoFieldOrder() {
        JoinRequest r = new JoinRequest(GROUP, BOB.publicKey(), "hi & bye", new JoinRequest.Pow(1796140800, 77, 18), false,
                false, NOW.plusNanos(5_000_000));
        String expected = "{\"kind\":\"join_request\",\"group_id\":\"72afa409-8b2e-4323-aa1e-8be57f30ebd5\",\"requester_pk\":\""
                + Keys.BOB_PK + "\",\"note\":\"hi \\u0026 bye\",\"pow\":{\"ts_unix\":1796140800,\"nonce\":77,\"bits\":18},"
                + "\"ts\":\"2026-12-01T16:00:00.005Z\"}";

        assertThat(new String(r.toJson(), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(JoinRequest.fromJson(utf8(expected))).isEqualTo(r);
    }

    @Test
    void aProbeAndAnAskAgainCarryTheirFlagsAndAnEmptyPowIsStillWritten() {
        JoinRequest probe = JoinRequest.describe(GROUP, BOB.publicKey(), NOW).withAskAgain();
        assertThat(new String(probe.toJson(), StandardCharsets.UTF_8)).contains(
                "\"pow\":{\"ts_unix\":0,\"nonce\":0,\"bits\":0},\"ask_again\":true,\"probe\":true,\"ts\":\"2026-12-01T16:00:00Z\"");
        assertThat(JoinRequest.fromJson(probe.toJson())).isEqualTo(probe);
    }

    @Test
    void aSolvedRequestPassesTheGroupsOwnCheckForTheAuthenticatedKey() {
        JoinRequest r = JoinRequest.solved(GROUP, BOB.publicKey(), "", 12, NOW);
        JoinRequest received = JoinRequest.fromJson(r.toJson());
        assertThat(received.requesterFrom(BOB.publicKey())).isEqualTo(BOB.publicKey());
        received.checkPow(BOB.publicKey(), 12, NOW.plusSeconds(5));
        assertThatThrownBy(() -> received.checkPow(BOB.publicKey(), 24, NOW)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.INSUFFICIENT_POW));
    }

    @Test
    void aRequestNamingSomeoneElseThanTheConnectionIsRefused() {
        JoinRequest r = JoinRequest.fromJson(JoinRequest.solved(GROUP, BOB.publicKey(), "", 0, NOW).toJson());
        assertThatThrownBy(() -> r.requesterFrom(CAROL.publicKey())).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.BAD_JOIN_MESSAGE)).hasMessageContaining("authenticated as");
        JoinRequest anonymous = JoinRequest.fromJson(utf8("{\"kind\":\"join_request\",\"group_id\":\"" + GROUP.value()
                + "\",\"requester_pk\":\"" + "0".repeat(66) + "\",\"pow\":{},\"ts\":\"2026-12-01T16:00:00Z\"}"));
        assertThat(anonymous.requester()).isNull();
        assertThat(anonymous.requesterFrom(CAROL.publicKey())).isEqualTo(CAROL.publicKey());
    }

    @Test
    void malformedRequestsAreRefused() {
        assertThatThrownBy(() -> JoinRequest.fromJson(utf8("{\"kind\":\"join_response\",\"group_id\":\"" + GROUP.value() + "\"}")))
                .hasMessageContaining("unexpected kind");
        assertThatThrownBy(() -> JoinRequest.fromJson(utf8("{\"kind\":\"join_request\",\"group_id\":\"\"}")))
                .hasMessageContaining("empty group id");
        assertThatThrownBy(() -> JoinRequest.fromJson(utf8("{\"kind\":\"join_request\"")))
                .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_JOIN_MESSAGE));
        assertThatThrownBy(() -> JoinRequest.fromJson(utf8("{\"kind\":\"join_request\",\"group_id\":\"" + GROUP.value()
                + "\",\"pow\":{\"nonce\":-1}}"))).hasMessageContaining("out of range");
    }

    @Test
    void notesAreCutTo280BytesWithoutSplittingACharacter() {
        String note = "é".repeat(200); // 400 bytes
        JoinRequest r = new JoinRequest(GROUP, BOB.publicKey(), note, null, false, false, NOW);
        assertThat(r.note()).hasSize(140);
        assertThat(r.note().getBytes(StandardCharsets.UTF_8)).hasSize(280);
    }

    @Test
    void anAdmissionCarriesTheRosterAndTheCurrentKeyInGoFieldOrder() {
        GroupKey key = new GroupKey(new byte[32], 3);
        JoinResponse admitted = JoinResponse.admitted(GROUP, "ops", GroupKind.PRIVATE, Optional.of(key),
                List.of(ALICE.publicKey(), BOB.publicKey()), List.of(ALICE.publicKey()));
        String expected = "{\"kind\":\"join_response\",\"group_id\":\"" + GROUP.value() + "\",\"status\":\"admitted\","
                + "\"name\":\"ops\",\"group_kind\":\"private\",\"aes_key\":\"" + Base64.getEncoder().encodeToString(new byte[32])
                + "\",\"key_epoch\":3,\"members\":[\"" + Keys.ALICE_PK + "\",\"" + Keys.BOB_PK + "\"],\"admins\":[\""
                + Keys.ALICE_PK + "\"]}";

        assertThat(new String(admitted.toJson(), StandardCharsets.UTF_8)).isEqualTo(expected);
        JoinResponse back = JoinResponse.fromJson(utf8(expected));
        assertThat(back).isEqualTo(admitted);
        assertThat(back.key()).contains(key);
    }

    @Test
    void challengesThrottlesAndProbeAnswersRoundTrip() {
        for (JoinResponse r : List.of(JoinResponse.challenge(GROUP, "ops", 40, "pay first"),
                JoinResponse.throttled(GROUP, "ops", 600), JoinResponse.info(GROUP, "ops", GroupKind.CHANNEL, 41234),
                JoinResponse.refusal(GROUP, JoinStatus.PENDING, "ops", "waiting for an admin"))) {
            assertThat(JoinResponse.fromJson(r.toJson())).isEqualTo(r);
        }
        assertThat(JoinResponse.challenge(GROUP, "ops", 40, "").powBits()).isEqualTo(26);
        assertThat(new String(JoinResponse.info(GROUP, "ops", GroupKind.CHANNEL, 41234).toJson(), StandardCharsets.UTF_8))
                .endsWith("\"status\":\"info\",\"name\":\"ops\",\"group_kind\":\"channel\",\"port\":41234,\"policy\":\"open\"}");
    }

    @Test
    void aDescribeAnswerBecomesTheInviteTheJoinPathTakes() {
        JoinResponse info = JoinResponse.fromJson(JoinResponse.info(GROUP, "news", GroupKind.CHANNEL, 41234, 20).toJson());
        assertThat(info.toInvite(ALICE.publicKey()))
                .isEqualTo(new Invite(GROUP, "news", ALICE.publicKey(), 41234, GroupKind.CHANNEL, List.of(), 20));
        assertThatThrownBy(() -> JoinResponse.refusal(GROUP, JoinStatus.UNAVAILABLE, "", "no such group").toInvite(ALICE.publicKey()))
                .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_JOIN_MESSAGE))
                .hasMessageContaining("unavailable: no such group");
    }

    @Test
    void anUnknownStatusOrAWrongSizedKeyIsRefused() {
        assertThatThrownBy(() -> JoinResponse.fromJson(utf8("{\"kind\":\"join_response\",\"group_id\":\"" + GROUP.value()
                + "\",\"status\":\"maybe\"}"))).hasMessageContaining("unknown join status");
        assertThatThrownBy(() -> JoinResponse.fromJson(utf8("{\"kind\":\"join_response\",\"group_id\":\"" + GROUP.value()
                + "\",\"status\":\"admitted\",\"aes_key\":\"AAAA\"}"))).hasMessageContaining("32 bytes");
        assertThat(JoinStatus.PENDING.isDecision()).isTrue();
        assertThat(JoinStatus.UNAVAILABLE.isDecision()).isFalse();
        assertThat(JoinStatus.CHALLENGE.needsWork()).isTrue();
    }

    @Test
    void theFrameKindTellsJoinFramesFromLegacyChat() {
        assertThat(JoinRequest.frameKind(JoinRequest.describe(GROUP, BOB.publicKey(), NOW).toJson())).isEqualTo("join_request");
        assertThat(JoinRequest.frameKind(utf8("{\"sender_pk\":\"" + Keys.BOB_PK + "\"}"))).isEmpty();
        assertThatThrownBy(() -> JoinRequest.frameKind(utf8("garbage"))).isInstanceOf(GroupException.class);
    }
}
