package io.skychat.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.group.GroupException;
import io.skychat.group.GroupKey;
import io.skychat.group.GroupLeaf;
import io.skychat.group.KeyRing;
import org.junit.jupiter.api.Test;

class GroupStateTests {

    private static final KeyPair ALICE = KeyPair.deterministic("alice in a group".getBytes(StandardCharsets.UTF_8));

    @Test
    void theKeyRingSurvivesItsJsonWithEveryEpochAndTheCurrentKey() {
        GroupKey first = GroupKey.random(0);
        GroupKey second = GroupKey.random(1);
        KeyRing ring = KeyRing.of(first).install(second, 1_700_000_000_000_000_000L);
        KeyRing back = GroupService.ring(GroupService.ringJson(ring));
        assertThat(back.current()).contains(second);
        assertThat(back.keys()).containsExactlyElementsOf(ring.keys());
        assertThat(back.currentIssuedAtNano()).isEqualTo(1_700_000_000_000_000_000L);
        // a leaf sealed under the older key still opens after the round trip
        GroupLeaf old = GroupLeaf.sealed(ALICE, 42, "before the rotation", first);
        assertThat(back.open(old)).isEqualTo("before the rotation");
    }

    @Test
    void noRingIsAnEmptyRingThatOpensNothing() {
        KeyRing none = GroupService.ring(null);
        assertThat(none.current()).isEmpty();
        assertThat(GroupService.ring(GroupService.ringJson(KeyRing.empty())).current()).isEmpty();
        GroupLeaf sealed = GroupLeaf.sealed(ALICE, 42, "secret", GroupKey.random(0));
        assertThatThrownBy(() -> none.open(sealed)).isInstanceOfSatisfying(GroupException.class,
                e -> assertThat(e.reason()).isEqualTo(GroupException.Reason.DECRYPT_FAILED));
    }

    @Test
    void domainRefusalsMapToWhatTheSurfaceAnswers() {
        List<Object[]> cases = List.of(
                new Object[] {GroupException.Reason.NOT_ADMIN, GroupsException.Kind.FORBIDDEN},
                new Object[] {GroupException.Reason.NOT_ALLOWED_TO_POST, GroupsException.Kind.FORBIDDEN},
                new Object[] {GroupException.Reason.FOUNDER_IMMUTABLE, GroupsException.Kind.FORBIDDEN},
                new Object[] {GroupException.Reason.REPLAYED, GroupsException.Kind.CONFLICT},
                new Object[] {GroupException.Reason.STALE, GroupsException.Kind.CONFLICT},
                new Object[] {GroupException.Reason.BAD_INVITE, GroupsException.Kind.BAD_REQUEST},
                new Object[] {GroupException.Reason.INSUFFICIENT_POW, GroupsException.Kind.BAD_REQUEST});
        for (Object[] c : cases) {
            Throwable t = GroupService.translate(new GroupException((GroupException.Reason) c[0], "why " + c[0]));
            assertThat(t).isInstanceOfSatisfying(GroupsException.class, e -> {
                assertThat(e.kind()).isEqualTo(c[1]);
                assertThat(e.getMessage()).isEqualTo("why " + c[0]);
            });
        }
        IllegalStateException other = new IllegalStateException("x");
        assertThat(GroupService.translate(other)).isSameAs(other);
    }

    @Test
    void anUnavailableServiceSaysWhyOnEveryCall() {
        GroupService off = GroupService.unavailable("groups need a relay network");
        assertThat(off.available()).isFalse();
        assertThat(off.statusRows()).isEmpty();
        for (var call : List.<java.util.function.Supplier<reactor.core.publisher.Mono<?>>>of(
                () -> off.list(), () -> off.info("x"), () -> off.create("n", io.skychat.group.GroupKind.PUBLIC, List.of()),
                () -> off.join("skychat:invite:x", ""), () -> off.send("x", "hi"),
                () -> off.removeMember("x", PeerKey.parse(io.skychat.support.Keys.BOB_PK)))) {
            assertThatThrownBy(() -> call.get().block(java.time.Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(GroupsException.class,
                            e -> assertThat(e.kind()).isEqualTo(GroupsException.Kind.UNAVAILABLE))
                    .hasMessage("groups need a relay network");
        }
    }
}
