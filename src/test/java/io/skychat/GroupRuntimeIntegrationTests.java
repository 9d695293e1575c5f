package io.skychat;

import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static io.skychat.support.Keys.CAROL_PK;
import static io.skychat.support.Keys.CAROL_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.skychat.core.ChatEvent;
import io.skychat.core.Direction;
import io.skychat.core.EventHub;
import io.skychat.core.PeerKey;
import io.skychat.group.GroupKind;
import io.skychat.groups.GroupService;
import io.skychat.groups.GroupText;
import io.skychat.groups.GroupView;
import io.skychat.groups.JoinOutcome;
import io.skychat.support.Node;
import io.skychat.support.RelayNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * Three whole services running groups over a dmsg relay and discovery on loopback, each with its own SQLite
 * file, driven through their {@link GroupService} beans: one feed node per group on the group port, admission
 * on the port after it, governance and keys on the admins' feeds.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class GroupRuntimeIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final PeerKey BOB = PeerKey.parse(BOB_PK);
    private static final PeerKey CAROL = PeerKey.parse(CAROL_PK);

    @TempDir
    Path work;

    private RelayNet net;

    @BeforeEach
    void network() {
        net = RelayNet.start("skychat groups relay");
    }

    @AfterEach
    void closeAll() throws Exception {
        net.close();
    }

    private Node node(String dir, String sk) {
        List<String> flags = new ArrayList<>(RelayNet.QUICK_GROUPS);
        flags.addAll(List.of("--group-pow-bits", "8", "--skychat.group.pending-retry=300ms"));
        return net.node(work.resolve(dir), sk, flags);
    }

    private void stop(Node n) {
        net.stop(n);
    }

    private static GroupService groups(Node n) {
        return n.bean(GroupService.class);
    }

    /** How often each group message id reached the node's event hub from now on. */
    private Map<String, AtomicInteger> events(Node n, String groupId) {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        Disposable d = n.bean(EventHub.class).subscribe(null)
                .filter(e -> e instanceof ChatEvent.GroupText g && g.groupId().equals(groupId))
                .subscribe(e -> seen.computeIfAbsent(((ChatEvent.GroupText) e).messageId(), k -> new AtomicInteger())
                        .incrementAndGet());
        net.closing(d::dispose);
        return seen;
    }

    private static List<String> texts(Node n, String id) {
        return groups(n).history(id, null, 1000).block(CALL).stream().map(GroupText::text).toList();
    }

    private static GroupView info(Node n, String id) {
        return groups(n).info(id).block(CALL);
    }

    @Test
    void aPrivateGroupOfThreeTalksAndARemovedMemberGetsNoNewKeyAndNoNewMessages() {
        Node a = node("a", ALICE_SK);
        Node b = node("b", BOB_SK);
        Node c = node("c", CAROL_SK);

        GroupView created = groups(a).create("friends", GroupKind.PRIVATE, List.of(BOB)).block(CALL);
        String id = created.id();
        assertThat(created.role()).isEqualTo("owner");
        assertThat(created.membersCount()).isEqualTo(2);
        Map<String, AtomicInteger> aEvents = events(a, id);
        Map<String, AtomicInteger> bEvents = events(b, id);
        Map<String, AtomicInteger> cEvents = events(c, id);
        String link = groups(a).inviteLink(id).block(CALL);
        assertThat(link).startsWith("skychat:invite:");

        // Bob was listed at creation: admitted at once, with the key
        JoinOutcome bob = groups(b).join(link, "").block(CALL);
        assertThat(bob.status()).isEqualTo("admitted");
        assertThat(bob.group().role()).isEqualTo("member");
        // Carol waits for the owner's approval, asking again until it comes
        JoinOutcome carol = groups(c).join(link, "it's carol").block(CALL);
        assertThat(carol.status()).isEqualTo("pending");
        assertThat(info(c, id).status()).isEqualTo("awaiting_approval");
        var requests = groups(a).joinRequests(id).block(CALL);
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).peer()).isEqualTo(CAROL);
        assertThat(requests.get(0).note()).isEqualTo("it's carol");
        groups(a).approve(id, CAROL).block(CALL);
        await().atMost(WAIT).until(() -> info(c, id).status().equals("active"));
        assertThat(groups(a).joinRequests(id).block(CALL)).isEmpty();
        await().atMost(WAIT).until(() -> info(a, id).membersCount() == 3 && info(b, id).membersCount() == 3
                && info(c, id).membersCount() == 3);

        groups(a).send(id, "hello from alice").block(CALL);
        groups(b).send(id, "hello from bob").block(CALL);
        groups(c).send(id, "hello from carol").block(CALL);
        List<String> three = List.of("hello from alice", "hello from bob", "hello from carol");
        for (Node n : List.of(a, b, c)) {
            await().atMost(WAIT).until(() -> texts(n, id).containsAll(three));
            assertThat(texts(n, id)).hasSize(3);
        }
        for (Map<String, AtomicInteger> seen : List.of(aEvents, bEvents, cEvents)) {
            await().atMost(WAIT).until(() -> seen.size() == 3);
            assertThat(seen.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        }
        List<GroupText> onBob = groups(b).history(id, null, 10).block(CALL);
        assertThat(onBob).filteredOn(t -> t.text().equals("hello from bob"))
                .singleElement().satisfies(t -> assertThat(t.direction()).isEqualTo(Direction.OUT));
        assertThat(onBob).filteredOn(t -> t.text().equals("hello from carol"))
                .singleElement().satisfies(t -> assertThat(t.sender()).isEqualTo(CAROL));

        // removing Carol rotates the key to the two who stay
        long epoch = info(a, id).keyEpoch();
        GroupView after = groups(a).removeMember(id, CAROL).block(CALL);
        assertThat(after.members()).doesNotContain(CAROL);
        assertThat(after.keyEpoch()).isEqualTo(epoch + 1);
        await().atMost(WAIT).until(() -> info(b, id).keyEpoch() == epoch + 1 && info(b, id).membersCount() == 2);
        await().atMost(WAIT).until(() -> info(c, id).status().equals("removed"));
        assertThat(info(c, id).keyEpoch()).isEqualTo(epoch);

        groups(a).send(id, "after carol left").block(CALL);
        groups(b).send(id, "bob after carol left").block(CALL);
        List<String> later = List.of("after carol left", "bob after carol left");
        await().atMost(WAIT).until(() -> texts(a, id).containsAll(later) && texts(b, id).containsAll(later));
        assertThat(texts(c, id)).doesNotContainAnyElementsOf(later).hasSize(3);
        assertThat(cEvents).hasSize(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> groups(c).send(id, "still here?").block(CALL))
                .isInstanceOfSatisfying(io.skychat.groups.GroupsException.class,
                        e -> assertThat(e.kind()).isEqualTo(io.skychat.groups.GroupsException.Kind.CONFLICT))
                .hasMessageContaining("removed");
    }

    @Test
    void aMemberOfflineDuringThirtyMessagesCatchesUpWhenItComesBack() {
        Node a = node("a", ALICE_SK);
        Node b = node("b", BOB_SK);
        Node c = node("c", CAROL_SK);
        String id = groups(a).create("open", GroupKind.PUBLIC, List.of()).block(CALL).id();
        String link = groups(a).inviteLink(id).block(CALL);
        assertThat(groups(b).join(link, "").block(CALL).status()).isEqualTo("admitted");
        assertThat(groups(c).join(link, "").block(CALL).status()).isEqualTo("admitted");
        await().atMost(WAIT).until(() -> info(a, id).membersCount() == 3 && info(b, id).membersCount() == 3
                && info(c, id).membersCount() == 3);
        groups(b).send(id, "before").block(CALL);
        await().atMost(WAIT).until(() -> texts(c, id).contains("before"));

        stop(c);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            String fromA = "a " + i;
            String fromB = "b " + i;
            groups(a).send(id, fromA).block(CALL);
            groups(b).send(id, fromB).block(CALL);
            sent.add(fromA);
            sent.add(fromB);
        }
        await().atMost(WAIT).until(() -> texts(a, id).containsAll(sent) && texts(b, id).containsAll(sent));

        Node back = node("c", CAROL_SK);
        await().atMost(WAIT).until(() -> texts(back, id).containsAll(sent));
        assertThat(texts(back, id)).hasSize(31);
        assertThat(info(back, id).status()).isEqualTo("active");
    }

    @Test
    void aPromotedAdminAdmitsAJoinWhileTheOwnerIsOffline() {
        Node a = node("a", ALICE_SK);
        Node b = node("b", BOB_SK);
        Node c = node("c", CAROL_SK);
        String id = groups(a).create("club", GroupKind.PUBLIC, List.of(BOB)).block(CALL).id();
        assertThat(groups(b).join(groups(a).inviteLink(id).block(CALL), "").block(CALL).status()).isEqualTo("admitted");
        assertThatThrownBy(() -> groups(b).addMember(id, CAROL).block(CALL))
                .isInstanceOfSatisfying(io.skychat.groups.GroupsException.class,
                        e -> assertThat(e.kind()).isEqualTo(io.skychat.groups.GroupsException.Kind.FORBIDDEN));

        GroupView promoted = groups(a).promote(id, BOB).block(CALL);
        assertThat(promoted.admins()).contains(BOB);
        await().atMost(WAIT).until(() -> info(b, id).role().equals("admin"));
        String link = groups(a).inviteLink(id).block(CALL); // now lists Bob as an admin to ask
        stop(a);

        JoinOutcome carol = groups(c).join(link, "").block(CALL);
        assertThat(carol.status()).isEqualTo("admitted");
        assertThat(carol.group().members()).contains(CAROL, BOB);
        await().atMost(WAIT).until(() -> info(b, id).members().contains(CAROL));
        groups(c).send(id, "let in by bob").block(CALL);
        await().atMost(WAIT).until(() -> texts(b, id).contains("let in by bob"));
    }
}
