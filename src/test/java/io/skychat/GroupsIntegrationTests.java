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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.skychat.crypto.KeyPair;
import io.skychat.support.Node;
import io.skychat.transport.dmsg.TestDiscovery;
import io.skychat.transport.dmsg.TestDmsgServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
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
    private static final KeyPair DAVE = KeyPair.deterministic("skychat groups dave".getBytes(StandardCharsets.UTF_8));
    private static final KeyPair RELAY = KeyPair.deterministic("skychat groups relay".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path work;

    private TestDiscovery discovery;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void network() {
        discovery = TestDiscovery.start();
        open.add(discovery);
        open.add(new TestDmsgServer(RELAY, discovery).start());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
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
        Node n = Node.start(work.resolve(dir), "--standalone", "--sk", sk, "--dmsg", "--dmsg-disc", discovery.url(),
                "--skychat.dmsg.backoff-max=1s", "--skychat.cxo.backoff-min=100ms", "--skychat.cxo.backoff-max=1s",
                "--skychat.group.join-stagger=200ms", "--skychat.group.join-timeout=5s", "--skychat.group.pending-retry=1s",
                "--skychat.group.roster-rebroadcast=200ms", "--skychat.group.subscribe-retry-max=1s");
        open.add(n);
        return n;
    }

    private void stop(Node n) {
        open.remove(n);
        n.close();
    }

    // ---- the routes, as a client uses them

    /** Every SSE data line the node sends from now on, parsed. */
    private List<JsonNode> sse(Node n) {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        Disposable d = n.webClient().get().uri("/sse").accept(MediaType.TEXT_EVENT_STREAM).retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .filter(e -> e.data() != null)
                .subscribe(e -> seen.add(JSON.readTree(e.data())), e -> { });
        open.add(d::dispose);
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
}
