package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static io.skychat.support.Keys.CAROL_SK;
import static io.skychat.support.NodeProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.feed.node.NodeExecutor;
import io.skychat.pair.PairPort;
import io.skychat.pairs.PairService;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteFeedStore;
import io.skychat.support.Node;
import io.skychat.transport.cxo.CxoStreams;
import io.skychat.transport.dmsg.DmsgStats;
import io.skychat.transport.dmsg.DmsgTransport;
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
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two (and three) whole services pairing over TCP-direct (the handshake) and, as upstream, one CXO node per pair
 * on the pair port over dmsg (the feeds), through a dmsg relay and discovery on loopback, each service with its
 * own SQLite file; restarts reuse the work directory and the ports.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class PairsIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final KeyPair ALICE = KeyPair.fromSecretHex(ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(BOB_SK);

    @TempDir
    Path work;

    private static final KeyPair RELAY = KeyPair.deterministic("skychat pairs relay".getBytes(StandardCharsets.UTF_8));

    private int aTcp;
    private int bTcp;
    private TestDiscovery discovery;
    private TestDmsgServer relay;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void network() {
        aTcp = freePort();
        bTcp = freePort();
        discovery = TestDiscovery.start();
        open.add(discovery);
        relay = new TestDmsgServer(RELAY, discovery).start();
        open.add(relay);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Node alice(String... extra) {
        return node("a", ALICE_SK, BOB_PK, aTcp, bTcp, extra);
    }

    private Node bob(String... extra) {
        return node("b", BOB_SK, ALICE_PK, bTcp, aTcp, extra);
    }

    private Node node(String dir, String sk, String peer, int tcp, int peerTcp, String... extra) {
        List<String> flags = new ArrayList<>(List.of("--standalone", "--sk", sk,
                "--tcp-listen", "127.0.0.1:" + tcp, "--tcp-peer", "tcp://" + peer + "@127.0.0.1:" + peerTcp,
                "--dmsg", "--dmsg-disc", discovery.url(), "--skychat.dmsg.backoff-max=1s",
                "--pair-enable", "--skychat.pair.invite-retry-min=200ms", "--skychat.pair.invite-retry-max=1s",
                "--skychat.pair.subscribe-retry-max=1s", "--skychat.cxo.backoff-min=100ms",
                "--skychat.cxo.backoff-max=1s", "--skychat.tcp.backoff-max=1s"));
        for (String e : extra) { // a repeated Spring argument would be joined with a comma, not replaced
            String key = e.contains("=") ? e.substring(0, e.indexOf('=') + 1) : e;
            flags.removeIf(f -> f.startsWith(key) && key.endsWith("="));
            flags.add(e);
        }
        Node n = Node.start(work.resolve(dir), flags.toArray(String[]::new));
        open.add(n);
        return n;
    }

    private void stop(Node n) {
        open.remove(n);
        n.close();
    }

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

    private static void post(Node n, String uri, Object body, int status) {
        var spec = n.http().post().uri(uri);
        (body == null ? spec.exchange() : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange())
                .expectStatus().isEqualTo(status);
    }

    private static String status(Node n, String peer) {
        return statusOf(n, peer);
    }

    private static String statusOf(Node n, String peer) {
        for (JsonNode p : get(n, "/pair")) {
            if (p.path("peer_pk").asString().equals(peer)) {
                return p.path("status").asString();
            }
        }
        return "none";
    }

    private static String send(Node n, String peer, String text) {
        String body = n.http().post().uri("/pair/" + peer + "/message").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("text", text)).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode r = JSON.readTree(body);
        assertThat(r.path("ok").asBoolean()).isTrue();
        return r.path("id").asString();
    }

    private static List<String> inboxTexts(Node n, String query) {
        List<String> out = new ArrayList<>();
        get(n, "/pair/inbox" + query).forEach(m -> out.add(m.path("text").asString()));
        return out;
    }

    private void pair(Node a, Node b) {
        post(a, "/pair", Map.of("peer_pk", BOB_PK), 200);
        await().atMost(WAIT).until(() -> get(b, "/pair/invites").size() == 1);
        post(b, "/pair/invites/" + ALICE_PK + "/accept", null, 204);
        await().atMost(WAIT).until(() -> status(a, BOB_PK).equals("active") && status(b, ALICE_PK).equals("active"));
    }

    @Test
    void twoNodesPairAndTalkBothWays() {
        Node a = alice();
        Node b = bob();
        List<JsonNode> aEvents = sse(a);
        List<JsonNode> bEvents = sse(b);
        assertThat(get(a, "/status").path("pairing_enabled").asBoolean()).isTrue();

        post(a, "/pair", Map.of("peer_pk", BOB_PK), 200);
        assertThat(status(a, BOB_PK)).isEqualTo("pending-out");
        await().atMost(WAIT).until(() -> get(b, "/pair/invites").size() == 1);
        JsonNode invite = get(b, "/pair/invites").get(0);
        assertThat(invite.path("peer_pk").asString()).isEqualTo(ALICE_PK);
        assertThat(invite.path("received_at").asString()).isNotBlank();
        assertThat(status(b, ALICE_PK)).isEqualTo("pending-in");
        await().atMost(WAIT).until(() -> bEvents.stream().anyMatch(e -> e.path("channel").asString().equals("pair-invite")
                && e.path("event").asString().equals("received") && e.path("peer").asString().equals(ALICE_PK)));

        post(b, "/pair/invites/" + ALICE_PK + "/accept", null, 204);
        await().atMost(WAIT).until(() -> status(a, BOB_PK).equals("active") && status(b, ALICE_PK).equals("active"));
        assertThat(get(b, "/pair/invites").size()).isZero();
        await().atMost(WAIT).until(() -> aEvents.stream().anyMatch(e -> e.path("channel").asString().equals("pair-invite")
                && e.path("event").asString().equals("accepted")));

        long sentAt = System.nanoTime();
        String id = send(a, BOB_PK, "hello bob, privately");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> bEvents.stream().anyMatch(e -> e.path("channel").asString().equals("pair")
                && e.path("message").asString().equals("hello bob, privately")));
        System.out.printf("pairs: first message on the peer's /sse %d ms after POST /pair/{pk}/message%n",
                (System.nanoTime() - sentAt) / 1_000_000);
        JsonNode got = bEvents.stream().filter(e -> e.path("channel").asString().equals("pair")).findFirst().orElseThrow();
        assertThat(got.path("sender").asString()).isEqualTo(ALICE_PK);
        assertThat(got.path("peer").asString()).isEqualTo(ALICE_PK);
        assertThat(got.path("id").asString()).isEqualTo(id);

        String before = "2000-01-01T00:00:00Z";
        send(b, ALICE_PK, "hello alice");
        await().atMost(WAIT).until(() -> inboxTexts(a, "?since=" + before).contains("hello alice"));
        JsonNode inbound = get(a, "/pair/inbox?since=" + before + "&limit=10").get(0);
        assertThat(inbound.path("peer_pk").asString()).isEqualTo(BOB_PK);
        String ts = inbound.path("ts").asString();
        assertThat(inboxTexts(a, "?since=" + ts)).isEmpty(); // since is exclusive
        await().atMost(WAIT).until(() -> aEvents.stream().anyMatch(e -> e.path("channel").asString().equals("pair")
                && e.path("message").asString().equals("hello alice")));

        // kept in /events history on the pair channel
        String events = b.http().get().uri("/events?channel=pair&since=0").accept(MediaType.APPLICATION_NDJSON)
                .exchange().expectStatus().isOk().returnResult(String.class).getResponseBody()
                .take(Duration.ofSeconds(2)).collectList().block(WAIT).toString();
        assertThat(events).contains("hello bob, privately").contains("invite-received");

        // a sender retracts its own message: it leaves the peer's inbox; a second retraction finds nothing
        a.http().delete().uri("/pair/" + BOB_PK + "/message?id=" + id).exchange().expectStatus().isNoContent();
        await().atMost(WAIT).until(() -> !inboxTexts(b, "").contains("hello bob, privately"));
        a.http().delete().uri("/pair/" + BOB_PK + "/message?id=" + id).exchange().expectStatus().isBadRequest();
        a.http().delete().uri("/pair/" + BOB_PK + "/message?id=junk").exchange().expectStatus().isBadRequest();
        assertThat(b.bean(PairService.class).counters().leavesRefused.get()).isZero();
    }

    @Test
    void aReceiverDownWhileTwentyAreSentGetsAllOnceInOrder() {
        Node a = alice();
        Node b = bob();
        pair(a, b);
        stop(b);
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            String text = String.format("offline %02d", i);
            send(a, BOB_PK, text);
            sent.add(text);
        }
        long started = System.nanoTime();
        Node b2 = bob();
        long up = System.nanoTime();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> inboxTexts(b2, "?limit=1000").size() >= 20);
        System.out.printf("pairs: 20 messages caught up %d ms after the restarted node was up (start %d ms)%n",
                (System.nanoTime() - up) / 1_000_000, (up - started) / 1_000_000);
        assertThat(inboxTexts(b2, "?limit=1000")).containsExactlyElementsOf(sent);
        assertThat(b2.bean(PairService.class).counters().messagesReceived.get()).isEqualTo(20);
    }

    @Test
    void anInviteSentWhilePeerIsDownArrivesAfterTheSenderRestartedAndThePeerCameBack() {
        Node a = alice();
        post(a, "/pair", Map.of("peer_pk", BOB_PK), 200);
        await().atMost(WAIT).until(() -> a.bean(PairService.class).counters().inviteFailures.get() >= 1);
        stop(a);
        Node a2 = alice();
        assertThat(status(a2, BOB_PK)).isEqualTo("pending-out");
        Node b = bob();
        await().atMost(WAIT).until(() -> get(b, "/pair/invites").size() == 1);
        post(b, "/pair/invites/" + ALICE_PK + "/accept", null, 204);
        await().atMost(WAIT).until(() -> status(a2, BOB_PK).equals("active"));
    }

    @Test
    void anUnansweredInviteGoesOutAsSoonAsAChatLinkToThePeerOpens() {
        // retries so far apart that only the link coming up can deliver the invite within the test
        Node a = alice("--skychat.pair.invite-retry-min=10m", "--skychat.pair.invite-retry-max=10m");
        post(a, "/pair", Map.of("peer_pk", BOB_PK), 200);
        await().atMost(WAIT).until(() -> a.bean(PairService.class).counters().inviteFailures.get() >= 1);
        Node b = bob();
        await().atMost(WAIT).until(() -> get(b, "/pair/invites").size() == 1);
        assertThat(a.bean(PairService.class).counters().invitesSent.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aDeclinedInviteStopsAndIsShownAsDeclined() {
        Node a = alice();
        Node b = bob();
        List<JsonNode> aEvents = sse(a);
        post(a, "/pair", Map.of("peer_pk", BOB_PK), 200);
        await().atMost(WAIT).until(() -> get(b, "/pair/invites").size() == 1);
        post(b, "/pair/invites/" + ALICE_PK + "/decline", null, 204);
        await().atMost(WAIT).until(() -> status(a, BOB_PK).equals("declined"));
        assertThat(status(b, ALICE_PK)).isEqualTo("declined");
        assertThat(get(b, "/pair/invites").size()).isZero();
        await().atMost(WAIT).until(() -> aEvents.stream().anyMatch(e -> e.path("channel").asString().equals("pair-invite")
                && e.path("event").asString().equals("declined")));
        post(a, "/pair/" + BOB_PK + "/message", Map.of("text", "hi"), 409);
        post(b, "/pair/invites/" + ALICE_PK + "/accept", null, 404);
    }

    @Test
    void aStrangerOnThePairPortIsRefusedAndARemovedPeerFindsNoNode() {
        Node a = alice();
        Node b = bob();
        pair(a, b);
        send(a, BOB_PK, "before the remove");
        await().atMost(WAIT).until(() -> inboxTexts(b, "").contains("before the remove"));

        // a third node reaching Alice's pair node on the pair port: her feed (key = her identity) is refused to
        // it, and so is a feed that does not exist; one answer for both
        Node carolService = Node.start(work.resolve("c"), "--standalone", "--sk", CAROL_SK, "--dmsg",
                "--dmsg-disc", discovery.url(), "--skychat.dmsg.backoff-max=1s");
        open.add(carolService);
        Stranger c = new Stranger(KeyPair.fromSecretHex(CAROL_SK), carolService.bean(DmsgTransport.class));
        open.add(c);
        int port = PairPort.of(ALICE.publicKey(), BOB.publicKey());
        FeedNode alicePairNode = a.bean(PairService.class).node(BOB.publicKey()).orElseThrow();
        long refusedBefore = alicePairNode.stats().subscribesRefused.get();
        await().atMost(WAIT).ignoreExceptions().until(() -> c.links(port).dial(ALICE.publicKey()).block(WAIT) != null);
        StepVerifier.create(c.node.subscribe(ALICE.publicKey(), ALICE.publicKey()))
                .expectErrorSatisfies(e -> assertThat(e.getMessage()).contains("subscribe rejected"))
                .verify(WAIT);
        StepVerifier.create(c.node.subscribe(KeyPair.generate().publicKey(), ALICE.publicKey()))
                .expectErrorSatisfies(e -> assertThat(e.getMessage()).contains("subscribe rejected"))
                .verify(WAIT);
        assertThat(alicePairNode.stats().subscribesRefused.get()).isEqualTo(refusedBefore + 2);

        // removed: Alice closes the pair's node, as upstream; Bob, still paired, finds nobody on the pair port
        a.http().delete().uri("/pair/" + BOB_PK).exchange().expectStatus().isNoContent();
        assertThat(status(a, BOB_PK)).isEqualTo("revoked");
        assertThat(a.bean(PairService.class).node(BOB.publicKey())).isEmpty();
        DmsgStats aDmsg = a.bean(DmsgStats.class);
        long rejectedBefore = aDmsg.streamsRejected.get();
        stop(b);
        Node b2 = bob();
        await().atMost(WAIT).until(() -> aDmsg.streamsRejected.get() > rejectedBefore);
        assertThat(b2.bean(PairService.class).node(ALICE.publicKey()).orElseThrow().connectedPeers()).isEmpty();
        post(a, "/pair/" + BOB_PK + "/message", Map.of("text", "after"), 409);
        assertThat(get(a, "/status").path("visor_pk").asString()).isEqualTo(ALICE_PK); // still serving
    }

    /** A plain feed node with its own key, on a service's dmsg, dialling pair ports. */
    private final class Stranger implements AutoCloseable {
        final SqliteDatabase db;
        final NodeExecutor executor;
        final FeedNode node;
        final DmsgTransport dmsg;
        final List<CxoStreams> links = new CopyOnWriteArrayList<>();

        Stranger(KeyPair key, DmsgTransport dmsg) {
            this.dmsg = dmsg;
            db = SqliteDatabase.openNow(work.resolve("stranger.db"));
            executor = new NodeExecutor("feed-stranger");
            node = new FeedNode(key, new SqliteFeedStore(db, java.time.Clock.systemUTC()), FeedNodeSettings.DEFAULTS,
                    executor, Schedulers.parallel()).start();
        }

        CxoStreams links(int port) {
            CxoStreams s = new CxoStreams(dmsg, node, port, List.of(), Duration.ofMillis(100), Duration.ofSeconds(1));
            links.add(s);
            return s;
        }

        @Override
        public void close() {
            links.forEach(CxoStreams::close);
            node.close();
            executor.close();
            db.close();
        }
    }

    @Test
    void theFeedsTravelOnThePairPortOfTheVectors() throws Exception {
        JsonNode vectors = JSON.readTree(getClass().getResourceAsStream("/vectors/skychat_pair.json"));
        String aSk = vectors.path("keys").path("A").path("sk").asString();
        String bSk = vectors.path("keys").path("B").path("sk").asString();
        String aPk = vectors.path("keys").path("A").path("pk").asString();
        String bPk = vectors.path("keys").path("B").path("pk").asString();
        int port = vectors.path("pair_port").path("port").asInt();
        assertThat(port).isEqualTo(18070);
        Node a = node("va", aSk, bPk, aTcp, bTcp);
        Node b = node("vb", bSk, aPk, bTcp, aTcp);
        post(a, "/pair", Map.of("peer_pk", bPk), 200);
        await().atMost(WAIT).until(() -> get(b, "/pair/invites").size() == 1);
        post(b, "/pair/invites/" + aPk + "/accept", null, 204);
        await().atMost(WAIT).until(() -> statusOf(a, bPk).equals("active"));
        assertThat(get(a, "/pair").get(0).path("port").asInt()).isEqualTo(port);

        send(a, bPk, "on the pair port");
        await().atMost(WAIT).until(() -> inboxTexts(b, "").contains("on the pair port"));
        // the relay carried feed streams to 18070 and nothing to the shared CXO port
        assertThat(relay.portsRequested).contains(port).doesNotContain(io.skychat.core.StreamNetwork.CXO_PORT);
        FeedNode aNode = a.bean(PairService.class).node(PeerKey.parse(bPk)).orElseThrow();
        assertThat(aNode.id()).isEqualTo(PeerKey.parse(aPk)); // node key = feed key = identity
        assertThat(aNode.connectedPeers()).containsExactly(PeerKey.parse(bPk));
        assertThat(a.bean(FeedNode.class).connectedPeers()).isEmpty(); // the node-wide feed node is not involved
    }

    @Test
    void pairingWithoutARelayNetworkStopsTheStartSayingWhy() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Node.start(work.resolve("norelay"), "--standalone",
                        "--sk", ALICE_SK, "--pair-enable").close())
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a relay network for the pair feeds: add --dmsg");
    }

    @Test
    void theRatchetRotatesAndBothSidesStillReadEverything() {
        Node a = alice("--skychat.pair.rotate-after=3");
        Node b = bob("--skychat.pair.rotate-after=3");
        pair(a, b);
        List<String> toBob = new ArrayList<>();
        List<String> toAlice = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String ab = "a→b " + i;
            send(a, BOB_PK, ab);
            toBob.add(ab);
            await().atMost(WAIT).until(() -> inboxTexts(b, "?limit=1000").contains(ab));
            String ba = "b→a " + i;
            send(b, ALICE_PK, ba);
            toAlice.add(ba);
            await().atMost(WAIT).until(() -> inboxTexts(a, "?limit=1000").contains(ba));
        }
        assertThat(inboxTexts(b, "?limit=1000")).containsExactlyElementsOf(toBob);
        assertThat(inboxTexts(a, "?limit=1000")).containsExactlyElementsOf(toAlice);
        PairService pa = a.bean(PairService.class);
        PairService pb = b.bean(PairService.class);
        assertThat(pa.counters().rotations.get()).isGreaterThanOrEqualTo(2);
        assertThat(pb.counters().rotations.get()).isGreaterThanOrEqualTo(2);
        assertThat(pa.ratchetGeneration(BOB.publicKey())).isGreaterThanOrEqualTo(3);
        assertThat(pa.counters().leavesRefused.get()).isZero();
        assertThat(pb.counters().leavesRefused.get()).isZero();

        // the ratchet state survives a restart: Bob still reads what Alice seals under the current epoch
        stop(b);
        Node b2 = bob("--skychat.pair.rotate-after=3");
        send(a, BOB_PK, "after the restart");
        await().atMost(WAIT).until(() -> inboxTexts(b2, "?limit=1000").contains("after the restart"));
        assertThat(inboxTexts(b2, "?limit=1000")).hasSize(13);
        assertThat(b2.bean(PairService.class).counters().leavesRefused.get()).isZero();
    }

    @Test
    void badInputIsRefusedCountedAndHarmless() {
        Node a = alice("--skychat.pair.max-text=64");
        Node b = bob();
        pair(a, b);
        // HTTP: bad key, bad JSON, missing text, oversized text, unknown pair, bad query
        a.http().post().uri("/pair").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("peer_pk", "zz"))
                .exchange().expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        a.http().post().uri("/pair").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"peer_pk\":")
                .exchange().expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post(a, "/pair", Map.of("peer_pk", ALICE_PK), 400);
        post(a, "/pair/" + BOB_PK + "/message", Map.of("text", ""), 400);
        post(a, "/pair/" + BOB_PK + "/message", Map.of("text", "x".repeat(65)), 413);
        post(a, "/pair/" + io.skychat.support.Keys.CAROL_PK + "/message", Map.of("text", "hi"), 404);
        post(a, "/pair/nothex/message", Map.of("text", "hi"), 400);
        a.http().get().uri("/pair/inbox?since=yesterday").exchange().expectStatus().isBadRequest();
        a.http().get().uri("/pair/inbox?limit=0").exchange().expectStatus().isBadRequest();

        // feed: a leaf that does not open, one too big, and one outside msgs/ and ratchet/, on Bob's pair feed
        b.bean(PairService.class).node(ALICE.publicKey()).orElseThrow().publish(BOB.publicKey(), tree -> {
            tree.put("msgs/1/1", "not sealed at all".getBytes(StandardCharsets.UTF_8));
            tree.put("msgs/2/1", new byte[64 * 1024]);
            tree.put("other/x", new byte[] {1});
        }).block(WAIT);
        PairService pa = a.bean(PairService.class);
        await().atMost(WAIT).until(() -> pa.counters().leavesRefused.get() >= 3);
        send(b, ALICE_PK, "still fine");
        await().atMost(WAIT).until(() -> inboxTexts(a, "").contains("still fine"));
        assertThat(inboxTexts(a, "")).containsExactly("still fine");
    }

    @Test
    void withoutPairEnableTheRoutesAnswer503() {
        Node n = Node.start(work.resolve("off"), "--standalone", "--sk", ALICE_SK);
        open.add(n);
        n.http().get().uri("/pair").exchange().expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post(n, "/pair", Map.of("peer_pk", BOB_PK), 503);
        n.http().get().uri("/pair/inbox").exchange().expectStatus().isEqualTo(503);
        assertThat(get(n, "/status").path("pairing_enabled").asBoolean()).isFalse();
    }
}
