package io.skychat.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import org.junit.jupiter.api.Test;

class FollowTargetsTests {

    /** Eight members in key order. */
    private static final List<PeerKey> M = IntStream.range(0, 8)
            .mapToObj(i -> KeyPair.deterministic(("group member " + i).getBytes(StandardCharsets.UTF_8)).publicKey())
            .sorted(Comparator.comparing(PeerKey::hex)).toList();

    @Test
    void anAdminFollowsEveryOtherMember() {
        Set<PeerKey> all = Set.copyOf(M);
        assertThat(GroupService.followTargets(M.get(3), Set.of(M.get(0), M.get(3)), all, false))
                .containsExactlyInAnyOrderElementsOf(M.stream().filter(m -> !m.equals(M.get(3))).toList());
    }

    @Test
    void aMemberFollowsTheAdminsAndTheNextTwoMembersAfterItselfWrappingAround() {
        Set<PeerKey> all = Set.copyOf(M);
        Set<PeerKey> admins = Set.of(M.get(0), M.get(1));
        assertThat(GroupService.followTargets(M.get(3), admins, all, false))
                .containsExactlyInAnyOrder(M.get(0), M.get(1), M.get(4), M.get(5));
        assertThat(GroupService.followTargets(M.get(7), admins, all, false))
                .containsExactlyInAnyOrder(M.get(0), M.get(1), M.get(2), M.get(3));
    }

    @Test
    void aChannelMemberFollowsOnlyTheAdmins() {
        assertThat(GroupService.followTargets(M.get(3), Set.of(M.get(0)), Set.copyOf(M), true))
                .containsExactly(M.get(0));
    }

    @Test
    void aSmallGroupNeverListsSelfAndANonMemberFollowsNobody() {
        assertThat(GroupService.followTargets(M.get(1), Set.of(M.get(0)), Set.of(M.get(0), M.get(1)), false))
                .containsExactly(M.get(0));
        assertThat(GroupService.followTargets(M.get(5), Set.of(M.get(0)), Set.of(M.get(0), M.get(1)), false)).isEmpty();
    }
}
