package io.skychat.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupException;
import io.skychat.group.GroupId;
import io.skychat.group.GroupKind;
import io.skychat.group.Invite;
import io.skychat.group.JoinRequest;
import io.skychat.group.JoinResponse;
import io.skychat.group.JoinStatus;
import io.skychat.support.Keys;
import org.junit.jupiter.api.Test;

/** What the describe probe tells whom, and that it tells nothing more. */
class DescribeProbeTests {

    private static final PeerKey HOST = PeerKey.parse(Keys.ALICE_PK);
    private static final PeerKey ASKER = PeerKey.parse(Keys.BOB_PK);
    private static final PeerKey OTHER = PeerKey.parse(Keys.CAROL_PK);
    private static final GroupId PUBLIC = GroupId.random();
    private static final GroupId PRIVATE = GroupId.random();
    private static final GroupId MEMBER_ONLY = GroupId.random();
    private static final GroupId UNKNOWN = GroupId.random();

    private static final Map<GroupId, DescribeProbe.Hosted> HERE = Map.of(
            PUBLIC, new DescribeProbe.Hosted(PUBLIC, "town square", GroupKind.PUBLIC, 23456, 18, true, Set.of()),
            PRIVATE, new DescribeProbe.Hosted(PRIVATE, "book club", GroupKind.PRIVATE, 34567, 20, true, Set.of(OTHER)),
            MEMBER_ONLY, new DescribeProbe.Hosted(MEMBER_ONLY, "theirs", GroupKind.CHANNEL, 45678, 18, false, Set.of()));
    private static final Function<GroupId, Optional<DescribeProbe.Hosted>> LOOKUP = id -> Optional.ofNullable(HERE.get(id));

    private static JoinResponse ask(GroupId id, PeerKey from) {
        JoinResponse r = DescribeProbe.answer(JoinRequest.describe(id, from, Instant.now()), from, LOOKUP);
        // what goes on the wire reads back the same
        assertThat(JoinResponse.fromJson(r.toJson())).isEqualTo(r);
        return r;
    }

    @Test
    void anAdministeredGroupIsDescribedWithItsPortPolicyKindNameAndPriceAndNothingElse() {
        JoinResponse r = ask(PRIVATE, ASKER);
        assertThat(r.status()).isEqualTo(JoinStatus.INFO);
        assertThat(r.groupId()).isEqualTo(PRIVATE);
        assertThat(r.name()).isEqualTo("book club");
        assertThat(r.groupKind()).isEqualTo(GroupKind.PRIVATE);
        assertThat(r.policy()).isEqualTo("approval");
        assertThat(r.port()).isEqualTo(34567);
        assertThat(r.powBits()).isEqualTo(20);
        assertThat(r.members()).isEmpty();
        assertThat(r.admins()).isEmpty();
        assertThat(r.muted()).isEmpty();
        assertThat(r.key()).isEmpty();
        assertThat(new String(r.toJson(), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("aes_key", "members", "admins", Keys.CAROL_PK);

        Invite invite = r.toInvite(HOST);
        assertThat(invite.owner()).isEqualTo(HOST);
        assertThat(invite.port()).isEqualTo(34567);
        assertThat(invite.kind()).isEqualTo(GroupKind.PRIVATE);
        assertThat(invite.powBits()).isEqualTo(20);
        assertThat(invite.admins()).isEmpty();

        assertThat(ask(PUBLIC, ASKER).policy()).isEqualTo("open");
    }

    @Test
    void aGroupNotHeldHereOrHeldOnlyAsAMemberIsUnavailableAndNamedNowhere() {
        for (GroupId id : List.of(UNKNOWN, MEMBER_ONLY)) {
            JoinResponse r = ask(id, ASKER);
            assertThat(r.status()).isEqualTo(JoinStatus.UNAVAILABLE);
            assertThat(r.groupId()).isEqualTo(id);
            assertThat(r.reason()).isEqualTo(DescribeProbe.NOT_HERE);
            assertThat(r.name()).isEmpty();
            assertThat(r.groupKind()).isNull();
            assertThat(r.port()).isZero();
            assertThat(r.powBits()).isZero();
        }
        // the same answer whether or not the group exists here: nothing tells them apart
        assertThat(new String(ask(UNKNOWN, ASKER).toJson()).replace(UNKNOWN.value(), ""))
                .isEqualTo(new String(ask(MEMBER_ONLY, ASKER).toJson()).replace(MEMBER_ONLY.value(), ""));
    }

    @Test
    void aRealJoinSentToTheProbePortIsRefusedWithoutLookingAtTheGroup() {
        JoinRequest join = JoinRequest.solved(PUBLIC, ASKER, "let me in", 0, Instant.now());
        JoinResponse r = DescribeProbe.answer(join, ASKER, id -> {
            throw new AssertionError("a join on the probe port looked the group up");
        });
        assertThat(r.status()).isEqualTo(JoinStatus.UNAVAILABLE);
        assertThat(r.reason()).isEqualTo(DescribeProbe.NOT_A_PROBE);
        assertThat(r.port()).isZero();
        assertThat(r.status().isDecision()).isFalse();
    }

    @Test
    void aBannedAskerIsToldSoAboutItsOwnKeyOnlyAndGetsNoPrice() {
        JoinResponse banned = ask(PRIVATE, OTHER);
        assertThat(banned.status()).isEqualTo(JoinStatus.BANNED);
        assertThat(banned.name()).isEqualTo("book club");
        assertThat(banned.powBits()).isZero();
        assertThat(banned.key()).isEmpty();
        assertThatThrownBy(() -> banned.toInvite(HOST)).isInstanceOf(GroupException.class);

        // asking on Carol's behalf over Bob's stream is dropped: the ban answer is about the stream's own key
        assertThatThrownBy(() -> DescribeProbe.answer(JoinRequest.describe(PRIVATE, OTHER, Instant.now()), ASKER, LOOKUP))
                .isInstanceOf(GroupException.class).hasMessageContaining("authenticated as");
        // a request that leaves the requester zero is the stream's key
        JoinRequest anonymous = new JoinRequest(PRIVATE, null, "", JoinRequest.Pow.NONE, false, true, Instant.now());
        assertThat(DescribeProbe.answer(anonymous, OTHER, LOOKUP).status()).isEqualTo(JoinStatus.BANNED);
        assertThat(DescribeProbe.answer(anonymous, ASKER, LOOKUP).status()).isEqualTo(JoinStatus.INFO);
    }
}
