package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static io.skychat.support.Keys.CAROL_PK;
import static io.skychat.support.Keys.CAROL_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.skychat.core.ByteStream;
import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedLeaf;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.feed.node.NodeExecutor;
import io.skychat.group.GroupId;
import io.skychat.group.GroupKey;
import io.skychat.group.GroupLeaf;
import io.skychat.group.GroupPaths;
import io.skychat.group.JoinRequest;
import io.skychat.group.Mutation;
import io.skychat.groups.GroupService;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteFeedStore;
import io.skychat.transport.cxo.CxoStreams;
import io.skychat.transport.dmsg.DmsgTransport;
import io.skychat.support.Node;
import io.skychat.support.RelayNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Groups as users see them: three and four whole services, each with its own SQLite file, the group feeds and
 * the admission requests over a dmsg relay and discovery on loopback, driven through the HTTP routes only.
 * Restarts reuse the work directory.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class GroupsIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final KeyPair ALICE = KeyPair.fromSecretHex(ALICE_SK);
    private static final KeyPair CAROL = KeyPair.fromSecretHex(CAROL_SK);
    private static final KeyPair DAVE = KeyPair.deterministic("skychat groups dave".getBytes(StandardCharsets.UTF_8));

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

    private Node alice() {
        return node("a", ALICE_SK);
    }

    private Node bob() {
        return node("b", BOB_SK);
    }

    private Node carol() {
        return node("c", CAROL_SK);
    }

    private Node dave() {
        return node("d", DAVE.secretHex());
    }

    private Node node(String dir, String sk) {
        List<String> flags = new ArrayList<>(RelayNet.QUICK_GROUPS);
        flags.addAll(List.of("--skychat.group.join-timeout=5s", "--skychat.group.pending-retry=1s"));
        return net.node(work.resolve(dir), sk, flags);
    }

    private void stop(Node n) {
        net.stop(n);
    }

    // ---- the routes, as a client uses them

    /** Every SSE data line the node sends from now on, parsed. */
    private List<JsonNode> sse(Node n) {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        Disposable d = n.webClient().get().uri("/sse").accept(MediaType.TEXT_EVENT_STREAM).retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .filter(e -> e.data() != null)
                .subscribe(e -> seen.add(JSON.readTree(e.data())), e -> { });
        net.closing(d::dispose);
        return seen;
    }

    private static JsonNode get(Node n, String uri) {
        return JSON.readTree(n.http().get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static JsonNode post(Node n, String uri, Object body) {
        String text = n.http().post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(text);
    }

    /** Creates a group on {@code n}; answers {@code {info, invite}}. */
    private static JsonNode create(Node n, String name, String kind, String... members) {
        JsonNode r = post(n, "/group", Map.of("name", name, "kind", kind, "members", List.of(members)));
        assertThat(r.path("invite").asString()).startsWith("skychat:invite:");
        assertThat(r.path("info").path("kind").asString()).isEqualTo(kind);
        assertThat(r.path("info").path("role").asString()).isEqualTo("owner");
        return r;
    }

    private static JsonNode join(Node n, String link) {
        return post(n, "/group/join", Map.of("invite", link));
    }

    private static String invite(Node n, String id) {
        return get(n, "/group/" + id + "/invite").path("invite").asString();
    }

    private static JsonNode send(Node n, String id, String text) {
        JsonNode r = post(n, "/group/" + id + "/send", Map.of("text", text));
        assertThat(r.path("ok").asBoolean()).isTrue();
        return r;
    }

    private static List<String> history(Node n, String id) {
        List<String> out = new ArrayList<>();
        get(n, "/group/" + id + "/history?limit=1000").forEach(m -> out.add(m.path("text").asString()));
        return out;
    }

    /** This node's view of the group, or null while it has none. */
    private static JsonNode view(Node n, String id) {
        for (JsonNode g : get(n, "/group?all=1")) {
            if (g.path("id").asString().equals(id)) {
                return g;
            }
        }
        return null;
    }

    private static String status(Node n, String id) {
        JsonNode v = view(n, id);
        return v == null ? "none" : v.path("status").asString();
    }

    private static Set<String> set(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(e -> out.add(e.asString()));
        return out;
    }

    private static long seen(List<JsonNode> events, String id, String text) {
        return events.stream().filter(e -> e.path("channel").asString().equals("group")
                && e.path("group_id").asString().equals(id) && e.path("message").asString().equals(text)).count();
    }

    /** Alice founds a private group with Bob, who joins by the link; Carol joins by the link and Alice approves. */
    private String privateGroupOfThree(Node a, Node b, Node c) {
        JsonNode created = create(a, "book club", "private", BOB_PK);
        String id = created.path("info").path("id").asString();
        String link = created.path("invite").asString();
        assertThat(created.path("info").path("mode").asString()).isEqualTo("private");

        JsonNode bJoined = join(b, link);
        assertThat(bJoined.path("id").asString()).isEqualTo(id);
        await().atMost(WAIT).until(() -> status(b, id).equals("active"));

        JsonNode cAsked = join(c, link);
        assertThat(cAsked.path("join_status").asString()).isEqualTo("pending");
        await().atMost(WAIT).until(() -> get(a, "/group/" + id + "/requests").size() == 1);
        JsonNode request = get(a, "/group/" + id + "/requests").get(0);
        assertThat(request.path("pk").asString()).isEqualTo(CAROL_PK);
        JsonNode approved = post(a, "/group/" + id + "/requests/approve", Map.of("pk", CAROL_PK));
        assertThat(set(approved.path("members"))).contains(CAROL_PK);
        await().atMost(WAIT).until(() -> status(c, id).equals("active"));
        for (Node n : List.of(a, b, c)) {
            await().atMost(WAIT).until(() -> view(n, id).path("members_count").asInt() == 3);
        }
        return id;
    }

    // ---- the scenarios

    @Test
    void threeNodesInAPrivateGroupEachSeeEveryMessageOnceOnSseAndInHistory() {
        Node a = alice();
        Node b = bob();
        Node c = carol();
        List<JsonNode> aEvents = sse(a);
        List<JsonNode> bEvents = sse(b);
        List<JsonNode> cEvents = sse(c);
        String id = privateGroupOfThree(a, b, c);

        List<String> texts = List.of("from alice", "from bob", "from carol");
        send(a, id, texts.get(0));
        send(b, id, texts.get(1));
        send(c, id, texts.get(2));
        for (Node n : List.of(a, b, c)) {
            await().atMost(WAIT).until(() -> history(n, id).containsAll(texts));
            assertThat(history(n, id)).hasSize(3).containsExactlyInAnyOrderElementsOf(texts);
        }
        for (List<JsonNode> events : List.of(aEvents, bEvents, cEvents)) {
            await().atMost(WAIT).until(() -> texts.stream().allMatch(t -> seen(events, id, t) >= 1));
            for (String t : texts) {
                assertThat(seen(events, id, t)).as(t).isEqualTo(1);
            }
        }
        JsonNode fromBob = bEvents.stream().filter(e -> e.path("message").asString().equals("from bob")).findFirst()
                .orElseThrow();
        JsonNode onAlice = aEvents.stream().filter(e -> e.path("message").asString().equals("from bob")).findFirst()
                .orElseThrow();
        assertThat(onAlice.path("sender").asString()).isEqualTo(BOB_PK);
        assertThat(onAlice.path("ts_nano").asLong()).isEqualTo(fromBob.path("ts_nano").asLong()).isPositive();
        assertThat(onAlice.path("ts").asString()).isNotBlank();

        // /events carries them on the group channel with the group id; /status lists the group
        String events = a.http().get().uri("/events?channel=group&since=0").accept(MediaType.APPLICATION_NDJSON)
                .exchange().expectStatus().isOk().returnResult(String.class).getResponseBody()
                .take(Duration.ofSeconds(2)).collectList().block(WAIT).toString();
        assertThat(events).contains("from carol").contains("\"group_id\":\"" + id + "\"");
        for (Node n : List.of(a, b, c)) {
            JsonNode row = null;
            for (JsonNode g : get(n, "/status").path("groups")) {
                if (g.path("id").asString().equals(id)) {
                    row = g;
                }
            }
            assertThat(row).isNotNull();
            assertThat(row.path("members_count").asInt()).isEqualTo(3);
            assertThat(row.path("name").asString()).isEqualTo("book club");
        }
        assertThat(view(a, id).path("role").asString()).isEqualTo("owner");
        assertThat(view(b, id).path("role").asString()).isEqualTo("member");
    }

    @Test
    void aRemovedMemberCannotReadWhatComesAfterTheKeyRotatesWhileTheOthersReadEverything() {
        Node a = alice();
        Node b = bob();
        Node c = carol();
        String id = privateGroupOfThree(a, b, c);
        send(a, id, "before the removal");
        await().atMost(WAIT).until(() -> history(c, id).contains("before the removal"));
        long epoch = view(a, id).path("key_epoch").asLong();

        JsonNode after = post(a, "/group/" + id + "/members/remove", Map.of("pk", CAROL_PK));
        assertThat(set(after.path("members"))).doesNotContain(CAROL_PK);
        assertThat(after.path("key_epoch").asLong()).isGreaterThan(epoch);
        await().atMost(WAIT).until(() -> view(b, id).path("key_epoch").asLong() == after.path("key_epoch").asLong());

        send(a, id, "after the removal");
        send(b, id, "bob after the removal");
        await().atMost(WAIT).until(() -> history(b, id).contains("after the removal"));
        await().atMost(WAIT).until(() -> history(a, id).contains("bob after the removal"));
        assertThat(history(a, id)).contains("before the removal", "after the removal", "bob after the removal");
        assertThat(history(b, id)).contains("before the removal", "after the removal", "bob after the removal");
        assertThat(history(c, id)).contains("before the removal")
                .doesNotContain("after the removal", "bob after the removal");
        assertThat(view(a, id).path("members_count").asInt()).isEqualTo(2);
    }

    @Test
    void aPromotedAdminAddsAFourthNodeAndEveryNodeAgreesOnTheRoster() {
        Node a = alice();
        Node b = bob();
        Node c = carol();
        Node d = dave();
        String id = privateGroupOfThree(a, b, c);
        JsonNode promoted = post(a, "/group/" + id + "/members/promote", Map.of("pk", BOB_PK));
        assertThat(set(promoted.path("admins"))).containsExactlyInAnyOrder(ALICE_PK, BOB_PK);
        await().atMost(WAIT).until(() -> set(view(b, id).path("admins")).contains(BOB_PK));
        assertThat(view(b, id).path("role").asString()).isEqualTo("admin");

        String davePk = DAVE.publicKey().hex();
        JsonNode added = post(b, "/group/" + id + "/members/add", Map.of("pk", davePk));
        assertThat(set(added.path("members"))).contains(davePk);
        join(d, invite(b, id));
        await().atMost(WAIT).until(() -> status(d, id).equals("active"));

        Set<String> roster = Set.of(ALICE_PK, BOB_PK, CAROL_PK, davePk);
        for (Node n : List.of(a, b, c, d)) {
            await().atMost(WAIT).until(() -> set(view(n, id).path("members")).equals(roster)
                    && set(view(n, id).path("admins")).equals(Set.of(ALICE_PK, BOB_PK)));
        }
        send(d, id, "hello from dave");
        for (Node n : List.of(a, b, c)) {
            await().atMost(WAIT).until(() -> history(n, id).contains("hello from dave"));
        }
    }

    @Test
    void withTheOwnerOfflineAListedAdminStillAdmitsAJoin() {
        Node a = alice();
        Node b = bob();
        JsonNode created = create(a, "open house", "public");
        String id = created.path("info").path("id").asString();
        join(b, created.path("invite").asString());
        await().atMost(WAIT).until(() -> status(b, id).equals("active"));
        post(a, "/group/" + id + "/members/promote", Map.of("pk", BOB_PK));
        await().atMost(WAIT).until(() -> set(view(b, id).path("admins")).contains(BOB_PK));
        String link = invite(a, id); // names Bob as an admin now
        stop(a);

        Node c = carol();
        JsonNode joined = join(c, link);
        assertThat(joined.path("join_status").asString()).isEqualTo("admitted");
        await().atMost(WAIT).until(() -> status(c, id).equals("active"));
        await().atMost(WAIT).until(() -> set(view(b, id).path("members")).contains(CAROL_PK));
        send(c, id, "let in by bob");
        await().atMost(WAIT).until(() -> history(b, id).contains("let in by bob"));
    }

    @Test
    void aMemberOfflineWhileThirtyAreSentCatchesUpOnAll() {
        Node a = alice();
        Node b = bob();
        Node c = carol();
        JsonNode created = create(a, "thirty", "public");
        String id = created.path("info").path("id").asString();
        String link = created.path("invite").asString();
        join(b, link);
        join(c, link);
        await().atMost(WAIT).until(() -> status(b, id).equals("active") && status(c, id).equals("active"));
        stop(c);
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            String text = String.format("while carol was away %02d", i);
            send(i % 2 == 0 ? a : b, id, text);
            sent.add(text);
        }
        long up = System.nanoTime();
        Node c2 = carol();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> history(c2, id).containsAll(sent));
        System.out.printf("groups: 30 messages caught up %d ms after the restarted member was up%n",
                (System.nanoTime() - up) / 1_000_000);
        assertThat(history(c2, id)).containsExactlyElementsOf(sent);
    }

    @Test
    void inAChannelOnlyAdminsPostAndTheApiSaysWhy() {
        Node a = alice();
        Node b = bob();
        JsonNode created = create(a, "announcements", "channel");
        String id = created.path("info").path("id").asString();
        join(b, created.path("invite").asString());
        await().atMost(WAIT).until(() -> status(b, id).equals("active"));

        String refused = b.http().post().uri("/group/" + id + "/send").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("text", "may I?")).exchange().expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(JSON.readTree(refused).path("detail").asString()).containsIgnoringCase("admin");

        send(a, id, "doors open at nine");
        await().atMost(WAIT).until(() -> history(b, id).contains("doors open at nine"));
        assertThat(history(a, id)).containsExactly("doors open at nine");
        assertThat(history(b, id)).doesNotContain("may I?");
    }

    @Test
    void leaveAndDeleteEndTheGroupForThatNode() {
        Node a = alice();
        Node b = bob();
        JsonNode created = create(a, "short lived", "public");
        String id = created.path("info").path("id").asString();
        join(b, created.path("invite").asString());
        await().atMost(WAIT).until(() -> status(b, id).equals("active"));

        b.http().post().uri("/group/" + id + "/leave").exchange().expectStatus().isNoContent();
        assertThat(status(b, id)).isEqualTo("left");
        assertThat(get(b, "/group").toString()).doesNotContain(id); // hidden unless ?all=1, as upstream
        a.http().delete().uri("/group/" + id).exchange().expectStatus().isNoContent();
        assertThat(status(a, id)).isEqualTo("revoked");
        assertThat(get(a, "/group").toString()).doesNotContain(id);
    }

    @Test
    void forgedReplayedUnpricedAndUnreadableInputIsRefusedAndHarmless() {
        Node a = alice();
        Node b = bob();
        // Carol and Dave are plain nodes: each drives the group by hand with its own key over its own dmsg
        Node carolService = plain("c", CAROL_SK);
        Node daveService = plain("d", DAVE.secretHex());
        String davePk = DAVE.publicKey().hex();
        JsonNode created = create(a, "guarded", "private", BOB_PK, CAROL_PK);
        String id = created.path("info").path("id").asString();
        int port = created.path("info").path("port").asInt();
        GroupId gid = GroupId.parse(id);
        join(b, created.path("invite").asString());
        await().atMost(WAIT).until(() -> status(b, id).equals("active"));

        // a join request without the proof of work, or with a wrong one, is answered with the price and not kept
        DmsgTransport daveDmsg = daveService.bean(DmsgTransport.class);
        long now = Instant.now().getEpochSecond();
        JsonNode unpriced = admission(daveDmsg, port, new JoinRequest(gid, DAVE.publicKey(), "", JoinRequest.Pow.NONE,
                false, false, Instant.now()));
        assertThat(unpriced.path("status").asString()).isEqualTo("challenge");
        assertThat(unpriced.path("pow_bits").asInt()).isEqualTo(18);
        JsonNode wrong = admission(daveDmsg, port, new JoinRequest(gid, DAVE.publicKey(), "", new JoinRequest.Pow(now, 1, 18),
                false, false, Instant.now()));
        assertThat(wrong.path("status").asString()).isEqualTo("challenge");
        assertThat(get(a, "/group/" + id + "/requests")).isEmpty();
        JsonNode priced = admission(daveDmsg, port, JoinRequest.solved(gid, DAVE.publicKey(), "let me in", 18, Instant.now()));
        assertThat(priced.path("status").asString()).isEqualTo("pending");
        assertThat(get(a, "/group/" + id + "/requests").get(0).path("pk").asString()).isEqualTo(davePk);
        post(a, "/group/" + id + "/requests/deny", Map.of("pk", davePk));

        // Carol, on the roster, is admitted with the key and publishes her own feed by hand
        DmsgTransport carolDmsg = carolService.bean(DmsgTransport.class);
        JsonNode admitted = admission(carolDmsg, port, JoinRequest.solved(gid, CAROL.publicKey(), "", 18, Instant.now()));
        assertThat(admitted.path("status").asString()).isEqualTo("admitted");
        GroupKey key = new GroupKey(java.util.Base64.getDecoder().decode(admitted.path("aes_key").asString()),
                admitted.path("key_epoch").asLong());
        Stranger carol = new Stranger(CAROL, carolDmsg, port, List.of(ALICE.publicKey()));
        net.closing(carol);

        // a genuine mutation of Alice's, replayed after she undid it
        post(a, "/group/" + id + "/members/add", Map.of("pk", davePk));
        post(a, "/group/" + id + "/members/remove", Map.of("pk", davePk));
        byte[] addDave = carol.leafOf(ALICE.publicKey(), v -> {
            Mutation m = Mutation.fromJson(Mutation.Kind.ROSTER, v);
            return m.isAdd() && m.peer().equals(DAVE.publicKey());
        });
        GroupService service = a.bean(GroupService.class);
        long leavesBefore = service.leavesRefused();
        long mutationsBefore = service.mutationsRefused();
        long t = System.currentTimeMillis() * 1_000_000L;
        GroupLeaf good = GroupLeaf.sealed(CAROL, t, "forged signature", key);
        byte[] badSig = good.signature().clone();
        badSig[10] ^= 1;
        GroupLeaf forged = new GroupLeaf(CAROL.publicKey(), t, "", good.ciphertext(), good.nonce(), badSig);
        GroupLeaf unreadable = GroupLeaf.sealed(CAROL, t + 1, "under a key nobody has", GroupKey.random(key.epoch()));
        GroupLeaf fine = GroupLeaf.sealed(CAROL, t + 2, "carol, by hand", key);
        carol.publish(tree -> {
            tree.put(forged.path(1), forged.toJson());
            tree.put(unreadable.path(1), unreadable.toJson());
            tree.put(GroupPaths.roster(1), Mutation.add(CAROL, gid, DAVE.publicKey(), t).toJson());
            tree.put(GroupPaths.admin(1), Mutation.promote(CAROL, gid, CAROL.publicKey(), t).toJson());
            tree.put(GroupPaths.roster(2), addDave);
            tree.put(fine.path(1), fine.toJson());
        });

        for (Node n : List.of(a, b)) {
            await().atMost(WAIT).until(() -> history(n, id).contains("carol, by hand"));
            assertThat(history(n, id)).doesNotContain("forged signature", "under a key nobody has");
            assertThat(set(view(n, id).path("members"))).containsExactlyInAnyOrder(ALICE_PK, BOB_PK, CAROL_PK);
            assertThat(set(view(n, id).path("admins"))).containsExactly(ALICE_PK);
        }
        assertThat(service.leavesRefused()).isGreaterThan(leavesBefore);
        assertThat(service.mutationsRefused()).isGreaterThanOrEqualTo(mutationsBefore + 2);
        send(a, id, "still talking");
        await().atMost(WAIT).until(() -> history(b, id).contains("still talking"));
    }

    private Node plain(String dir, String sk) {
        return net.node(work.resolve(dir), sk, List.of("--no-groups"));
    }

    /** One join request on the admission port (group port + 1), framed as upstream frames it; the answer's JSON. */
    private static JsonNode admission(DmsgTransport dmsg, int port, JoinRequest request) {
        ByteStream stream = await().atMost(WAIT).ignoreExceptions()
                .until(() -> dmsg.dialStream(ALICE.publicKey(), port + 1).block(WAIT), java.util.Objects::nonNull);
        try {
            byte[] body = request.toJson();
            byte[] frame = java.nio.ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            return stream.write(frame).thenMany(stream.inbound())
                    .concatMap(chunk -> {
                        got.writeBytes(chunk);
                        byte[] all = got.toByteArray();
                        if (all.length < 4) {
                            return reactor.core.publisher.Mono.empty();
                        }
                        int len = java.nio.ByteBuffer.wrap(all).getInt();
                        return all.length < 4 + len ? reactor.core.publisher.Mono.<JsonNode>empty()
                                : reactor.core.publisher.Mono.just(JSON.readTree(java.util.Arrays.copyOfRange(all, 4, 4 + len)));
                    })
                    .next().block(WAIT);
        } finally {
            stream.close();
        }
    }

    /** A feed node of a member's, run by hand: its own feed on the group port, served to the group's admins. */
    private final class Stranger implements AutoCloseable {
        final KeyPair key;
        final SqliteDatabase db;
        final NodeExecutor executor;
        final FeedNode node;
        final CxoStreams links;

        Stranger(KeyPair key, DmsgTransport dmsg, int port, List<PeerKey> admins) {
            this.key = key;
            db = SqliteDatabase.openNow(work.resolve("stranger-" + key.publicKey().hex().substring(0, 8) + ".db"));
            executor = new NodeExecutor("feed-stranger");
            node = new FeedNode(key, new SqliteFeedStore(db, java.time.Clock.systemUTC()), FeedNodeSettings.DEFAULTS,
                    executor, Schedulers.parallel()).start();
            node.share(key, Set.copyOf(admins)).block(WAIT);
            links = new CxoStreams(dmsg, node, port, admins, Duration.ofMillis(100), Duration.ofSeconds(1)).startNow();
        }

        void publish(java.util.function.Consumer<io.skychat.feed.TreeStore> changes) {
            node.publish(key.publicKey(), changes).block(WAIT);
        }

        /** The value of the first leaf on {@code feed} that {@code wanted} accepts (parse failures skipped). */
        byte[] leafOf(PeerKey feed, java.util.function.Predicate<byte[]> wanted) {
            return await().atMost(WAIT).ignoreExceptions().until(() -> node.subscribe(feed, feed)
                    .filter(l -> l.path().startsWith(GroupPaths.ROSTER + "/"))
                    .filter(l -> {
                        try {
                            return wanted.test(l.value());
                        } catch (RuntimeException e) {
                            return false;
                        }
                    })
                    .map(FeedLeaf::value).next().block(Duration.ofSeconds(10)), java.util.Objects::nonNull);
        }

        @Override
        public void close() {
            links.close();
            node.close();
            executor.close();
            db.close();
        }
    }
}
