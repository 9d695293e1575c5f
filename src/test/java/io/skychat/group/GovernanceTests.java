package io.skychat.group;

import static io.skychat.group.GroupFixtures.ALICE;
import static io.skychat.group.GroupFixtures.BOB;
import static io.skychat.group.GroupFixtures.CAROL;
import static io.skychat.group.GroupFixtures.DAVE;
import static io.skychat.group.GroupFixtures.GROUP;
import static io.skychat.group.GroupFixtures.NOW;
import static io.skychat.group.GroupFixtures.NOW_NANO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupException.Reason;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Governance transitions: only current admins rule, replays and older changes lose, the founder stays. */
class GovernanceTests {

    static final long SEC = 1_000_000_000L;
    static final Governance START = Governance.create(GROUP, ALICE.publicKey(), GroupKind.PRIVATE, List.of(BOB.publicKey()));

    static void refused(ThrowingCallable call, Reason reason, String text) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(text);
    }

    static PeerKey pk(io.skychat.crypto.KeyPair k) {
        return k.publicKey();
    }

    @Test
    void theFounderIsAnAdminAndAMemberFromTheStart() {
        assertThat(START.admins()).containsExactly(pk(ALICE));
        assertThat(START.members()).containsExactlyInAnyOrder(pk(ALICE), pk(BOB));
        assertThat(START.isAdmin(pk(BOB))).isFalse();
    }

    @Test
    void anAdminAddsAndRemovesMembers() {
        Governance g = START.apply(Mutation.add(ALICE, GROUP, pk(CAROL), NOW_NANO), NOW);
        assertThat(g.members()).contains(pk(CAROL));
        g = g.apply(Mutation.remove(ALICE, GROUP, pk(CAROL), NOW_NANO + SEC), NOW);
        assertThat(g.members()).doesNotContain(pk(CAROL));
        assertThat(g.mutationSeen()).containsEntry("r:" + pk(CAROL).hex(), NOW_NANO + SEC);
    }

    @Test
    void aMutationForgedByANonAdminIsRefused() {
        refused(() -> START.apply(Mutation.add(BOB, GROUP, pk(CAROL), NOW_NANO), NOW), Reason.NOT_ADMIN, "not an admin");
        refused(() -> START.apply(Mutation.promote(BOB, GROUP, pk(BOB), NOW_NANO), NOW), Reason.NOT_ADMIN, "not an admin");
        refused(() -> START.apply(Mutation.add(CAROL, GROUP, pk(CAROL), NOW_NANO), NOW), Reason.NOT_ADMIN, "not an admin");
    }

    @Test
    void aMutationClaimingAnAdminButSignedBySomeoneElseIsRefused() {
        Mutation byBob = Mutation.add(BOB, GROUP, pk(CAROL), NOW_NANO);
        Mutation claimed = new Mutation(byBob.kind(), GROUP, byBob.op(), byBob.peer(), 0, NOW_NANO, pk(ALICE), byBob.signature());
        refused(() -> START.apply(claimed, NOW), Reason.BAD_SIGNATURE, "not signed by its issuer");
    }

    @Test
    void theSameMutationAppliedTwiceIsAReplay() {
        Mutation add = Mutation.add(ALICE, GROUP, pk(CAROL), NOW_NANO);
        Governance g = START.apply(add, NOW);
        refused(() -> g.apply(add, NOW), Reason.REPLAYED, "already applied");
    }

    @Test
    void anOlderMutationCannotUndoANewerOne() {
        Mutation add = Mutation.add(ALICE, GROUP, pk(CAROL), NOW_NANO);
        Governance removed = START.apply(add, NOW).apply(Mutation.remove(ALICE, GROUP, pk(CAROL), NOW_NANO + SEC), NOW);
        refused(() -> removed.apply(add, NOW), Reason.STALE, "older than the last change");
        refused(() -> removed.apply(Mutation.add(ALICE, GROUP, pk(CAROL), NOW_NANO + SEC / 2), NOW), Reason.STALE, "older");
        assertThat(removed.apply(Mutation.add(ALICE, GROUP, pk(CAROL), NOW_NANO + 2 * SEC), NOW).members()).contains(pk(CAROL));
    }

    @Test
    void aMutationDatedMoreThanFiveMinutesAheadIsRefused() {
        long ahead = NOW_NANO + Duration.ofMinutes(6).toNanos();
        refused(() -> START.apply(Mutation.add(ALICE, GROUP, pk(CAROL), ahead), NOW), Reason.STALE, "five minutes ahead");
        START.apply(Mutation.add(ALICE, GROUP, pk(CAROL), NOW_NANO + Duration.ofMinutes(4).toNanos()), NOW);
    }

    @Test
    void theFounderCanNeitherBeDemotedNorRemovedNorBanned() {
        Governance g = START.apply(Mutation.promote(ALICE, GROUP, pk(BOB), NOW_NANO), NOW);
        refused(() -> g.apply(Mutation.demote(BOB, GROUP, pk(ALICE), NOW_NANO + SEC), NOW), Reason.FOUNDER_IMMUTABLE, "demoted");
        refused(() -> g.apply(Mutation.remove(BOB, GROUP, pk(ALICE), NOW_NANO + SEC), NOW), Reason.FOUNDER_IMMUTABLE, "removed");
        refused(() -> g.withBanned(pk(ALICE)), Reason.FOUNDER_IMMUTABLE, "banned");
    }

    @Test
    void aPromotedMemberRulesAndADemotedOneNoLonger() {
        Governance g = START.apply(Mutation.promote(ALICE, GROUP, pk(BOB), NOW_NANO), NOW)
                .apply(Mutation.add(BOB, GROUP, pk(DAVE), NOW_NANO + SEC), NOW);
        assertThat(g.members()).contains(pk(DAVE));
        assertThat(g.admins()).containsExactlyInAnyOrder(pk(ALICE), pk(BOB));

        Governance demoted = g.apply(Mutation.demote(ALICE, GROUP, pk(BOB), NOW_NANO + 2 * SEC), NOW);
        assertThat(demoted.isAdmin(pk(BOB))).isFalse();
        assertThat(demoted.isMember(pk(BOB))).isTrue();
        refused(() -> demoted.apply(Mutation.add(BOB, GROUP, pk(CAROL), NOW_NANO + 3 * SEC), NOW), Reason.NOT_ADMIN, "not an admin");
    }

    @Test
    void anAdminStaysAMemberUntilDemotedAndRemoved() {
        Governance g = START.apply(Mutation.promote(ALICE, GROUP, pk(BOB), NOW_NANO), NOW)
                .apply(Mutation.remove(ALICE, GROUP, pk(BOB), NOW_NANO + SEC), NOW);
        assertThat(g.isAdmin(pk(BOB))).isTrue();
        assertThat(g.isMember(pk(BOB))).isTrue();
        assertThat(g.roster()).doesNotContain(pk(BOB));

        Governance out = g.apply(Mutation.demote(ALICE, GROUP, pk(BOB), NOW_NANO + 2 * SEC), NOW);
        assertThat(out.isAdmin(pk(BOB))).isFalse();
        assertThat(out.isMember(pk(BOB))).isFalse();
    }

    @Test
    void everyArrivalOrderOfTheSameLeavesEndsInTheSameState() {
        List<Mutation> leaves = List.of(
                Mutation.add(ALICE, GROUP, pk(CAROL), NOW_NANO),
                Mutation.promote(ALICE, GROUP, pk(CAROL), NOW_NANO + SEC),
                Mutation.remove(ALICE, GROUP, pk(CAROL), NOW_NANO + 2 * SEC),
                Mutation.demote(ALICE, GROUP, pk(CAROL), NOW_NANO + 3 * SEC),
                Mutation.add(ALICE, GROUP, pk(DAVE), NOW_NANO + 4 * SEC),
                Mutation.promote(ALICE, GROUP, pk(DAVE), NOW_NANO + 5 * SEC),
                Mutation.remove(ALICE, GROUP, pk(BOB), NOW_NANO + 6 * SEC),
                Mutation.add(ALICE, GROUP, pk(BOB), NOW_NANO + 7 * SEC));
        java.util.Set<Governance> outcomes = new java.util.HashSet<>();
        java.util.Random random = new java.util.Random(42);
        for (int run = 0; run < 200; run++) {
            List<Mutation> order = new java.util.ArrayList<>(leaves);
            java.util.Collections.shuffle(order, random);
            Governance g = START;
            for (Mutation m : order) {
                try {
                    g = g.apply(m, NOW);
                } catch (GroupException superseded) {
                    assertThat(superseded.reason()).isEqualTo(Reason.STALE);
                }
            }
            outcomes.add(g);
        }
        assertThat(outcomes).hasSize(1);
        Governance end = outcomes.iterator().next();
        assertThat(end.members()).containsExactlyInAnyOrder(pk(ALICE), pk(BOB), pk(DAVE));
        assertThat(end.admins()).containsExactlyInAnyOrder(pk(ALICE), pk(DAVE));
    }

    @Test
    void aMutationForAnotherGroupIsRefused() {
        refused(() -> START.apply(Mutation.add(ALICE, GroupId.random(), pk(CAROL), NOW_NANO), NOW), Reason.WRONG_GROUP, "is for group");
    }

    @Test
    void governanceIsOnlyReadFromTheIssuersOwnFeed() {
        Mutation add = Mutation.add(ALICE, GROUP, pk(CAROL), NOW_NANO);
        // the same signed bytes copied to admin/ on Bob's feed would read as "promote Carol"
        Mutation asPromote = new Mutation(Mutation.Kind.ADMIN, GROUP, Mutation.PROMOTE, pk(CAROL), 0, NOW_NANO, pk(ALICE),
                add.signature());
        asPromote.verify(); // upstream's two layouts are identical, so the signature holds
        refused(() -> START.apply(asPromote, pk(BOB), NOW), Reason.BAD_MUTATION, "issuer's feed");
        assertThat(START.apply(add, pk(ALICE), NOW).members()).contains(pk(CAROL));
    }

    @Test
    void inAChannelOnlyAdminsPostAndTheRefusalSaysWhy() {
        Governance channel = Governance.create(GROUP, pk(ALICE), GroupKind.CHANNEL, List.of(pk(BOB)));
        assertThat(channel.canPost(pk(ALICE))).isTrue();
        assertThat(channel.canPost(pk(BOB))).isFalse();
        refused(() -> channel.checkCanPost(pk(BOB)), Reason.NOT_ALLOWED_TO_POST, "only admins can post");
        assertThat(START.canPost(pk(BOB))).isTrue();
        refused(() -> START.checkCanPost(pk(CAROL)), Reason.NOT_ALLOWED_TO_POST, "not a member");
        refused(() -> START.withBanned(pk(BOB)).checkCanPost(pk(BOB)), Reason.NOT_ALLOWED_TO_POST, "banned");
    }

    @Test
    void theKindIsFixed() {
        refused(() -> START.withKind(GroupKind.PUBLIC), Reason.KIND_IMMUTABLE, "cannot become public");
        assertThat(START.withKind(GroupKind.PRIVATE)).isSameAs(START);
    }

    @Test
    void aBannedKeyLeavesTheRosterUntilAnAdminAddsItAgain() {
        Governance banned = START.withBanned(pk(BOB));
        assertThat(banned.members()).doesNotContain(pk(BOB));
        assertThat(banned.banned()).containsExactly(pk(BOB));
        assertThat(banned.apply(Mutation.add(ALICE, GROUP, pk(BOB), NOW_NANO), NOW).isMember(pk(BOB))).isTrue();
    }

    @Test
    void statePersistsAsJsonAndKeepsItsReplayGuard() {
        Mutation add = Mutation.add(ALICE, GROUP, pk(CAROL), NOW_NANO + 5);
        Governance g = START.apply(Mutation.promote(ALICE, GROUP, pk(BOB), NOW_NANO), NOW).apply(add, NOW)
                .withBanned(pk(DAVE)).withKeyEpoch(3);

        Governance back = Governance.fromJson(g.toJson());

        assertThat(back).isEqualTo(g);
        assertThat(new String(g.toJson(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"mutation_seen\":{\"a:" + pk(BOB).hex() + "\":\"2026-12-01T16:00:00Z\",\"r:" + pk(CAROL).hex()
                        + "\":\"2026-12-01T16:00:00.000000005Z\"}");
        refused(() -> back.apply(add, NOW), Reason.REPLAYED, "already applied");
    }
}
