package io.skychat.transport.cxo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;

import io.skychat.core.PeerKey;
import io.skychat.core.StreamNetwork;
import io.skychat.core.TransportException;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedLeaf;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.feed.node.NodeExecutor;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteFeedStore;
import io.skychat.support.Keys;
import io.skychat.transport.dmsg.DmsgSettings;
import io.skychat.transport.dmsg.DmsgStats;
import io.skychat.transport.dmsg.DmsgTransport;
import io.skychat.transport.dmsg.TestDiscovery;
import io.skychat.transport.dmsg.TestDmsgServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Feed nodes over dmsg: two dmsg clients with their own SQLite stores on a test dmsg server and discovery on
 * loopback; the feed protocol rides streams to port 50 through the relay.
 */
class CxoOverDmsgIntegrationTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final KeyPair CAROL = KeyPair.fromSecretHex(Keys.CAROL_SK);
    private static final KeyPair SERVER = KeyPair.deterministic("cxo over dmsg server".getBytes(StandardCharsets.UTF_8));
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final ExecutorService crypto = new io.skychat.core.HandOffExecutor("test-crypto", 2, 1024, "the crypto pool");
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestDiscovery discovery;
    private TestDmsgServer server;

    @BeforeEach
    void relay() {
        discovery = TestDiscovery.start();
        server = new TestDmsgServer(SERVER, discovery).start();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        server.close();
        discovery.close();
        crypto.shutdownNow();
    }

    /** A feed node with its store and a dmsg client; CXO on port 50, keeping up {@code peers}. */
    private final class Peer implements AutoCloseable {
        final SqliteDatabase db;
        final NodeExecutor executor;
        final FeedNode node;
        final DmsgStats dmsgStats = new DmsgStats();
        final DmsgTransport dmsg;
        final CxoStreams cxo;

        Peer(KeyPair key, String dbName, List<PeerKey> peers) {
            db = SqliteDatabase.openNow(dir.resolve(dbName));
            executor = new NodeExecutor("feed-" + dbName);
            node = new FeedNode(key, new SqliteFeedStore(db, Clock.systemUTC()), FeedNodeSettings.DEFAULTS, executor,
                    Schedulers.parallel()).start();
            DmsgSettings s = DmsgSettings.of(URI.create(discovery.url()), 1, List.of())
                    .withTimings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                            Duration.ofMillis(100), Duration.ofSeconds(1));
            dmsg = new DmsgTransport(key, s, crypto, dmsgStats).startNow();
            cxo = new CxoStreams(dmsg, node, StreamNetwork.CXO_PORT, peers, Duration.ofMillis(50), Duration.ofMillis(500));
            open.add(this);
            await().atMost(WAIT).until(() -> dmsg.isUp() && delegated(key.publicKey()));
            cxo.startNow();
        }

        @Override
        public void close() {
            cxo.close();
            dmsg.close();
            node.close();
            executor.close();
            db.close();
            open.remove(this);
        }
    }

    private boolean delegated(PeerKey pk) {
        return discovery.entry(pk).map(e -> e.client() != null
                && e.client().delegatedServers().contains(SERVER.publicKey())).orElse(false);
    }

    private static String path(int i) {
        return String.format("msgs/%019d-%06d", 1_700_000_000_000_000_000L + i, i);
    }

    private static void publish(FeedNode node, int from, int to) {
        node.publish(node.id(), tree -> {
            for (int i = from; i < to; i++) {
                tree.put(path(i), ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
        }).block(WAIT);
    }

    @Test
    void bobSubscribesToAlicesFeedOverDmsgAndReceivesHerRootsAndObjects() {
        Peer alice = new Peer(ALICE, "alice.db", List.of());
        alice.node.share(ALICE, Set.of(BOB.publicKey())).block(WAIT);
        publish(alice.node, 0, 3); // before bob is there: he fills the tree of this root

        Peer bob = new Peer(BOB, "bob.db", List.of(ALICE.publicKey()));
        List<String> got = new CopyOnWriteArrayList<>();
        Disposable sub = bob.node.subscribe(ALICE.publicKey(), ALICE.publicKey()).map(FeedLeaf::text).subscribe(got::add);
        try {
            await().atMost(WAIT).until(() -> got.size() == 3);
            publish(alice.node, 3, 5); // a root published while bob follows
            await().atMost(WAIT).until(() -> got.size() == 5);
            assertThat(got).containsExactly("m0", "m1", "m2", "m3", "m4");
            assertThat(bob.node.stats().rootsAccepted.get()).isEqualTo(2);
            assertThat(bob.node.stats().rootsRejected.get()).isZero();
            // it went over dmsg: bob dialled alice's port 50 through the relay, alice's listener took it
            assertThat(bob.cxo.dialledCount()).isEqualTo(1);
            assertThat(alice.cxo.acceptedCount()).isEqualTo(1);
            assertThat(alice.dmsgStats.streamsToListeners.get()).isEqualTo(1);
            assertThat(server.streamsSpliced.get()).isEqualTo(1);
        } finally {
            sub.dispose();
        }
    }

    @Test
    void aFeedStreamThatDropsIsRedialledAndTheSubscriptionCatchesUp() {
        Peer alice = new Peer(ALICE, "alice.db", List.of());
        alice.node.share(ALICE, Set.of(BOB.publicKey())).block(WAIT);
        publish(alice.node, 0, 1);
        Peer bob = new Peer(BOB, "bob.db", List.of(ALICE.publicKey()));
        List<String> got = new CopyOnWriteArrayList<>();
        Disposable sub = bob.node.subscribe(ALICE.publicKey(), ALICE.publicKey()).map(FeedLeaf::text).subscribe(got::add);
        try {
            await().atMost(WAIT).until(() -> got.size() == 1);
            alice.cxo.close(); // alice's feed port goes away; both nodes stay
            await().atMost(WAIT).until(() -> bob.node.connectedPeers().isEmpty());
            publish(alice.node, 1, 4);
            CxoStreams again = new CxoStreams(alice.dmsg, alice.node, StreamNetwork.CXO_PORT, List.of(),
                    Duration.ofMillis(50), Duration.ofMillis(500)).startNow();
            open.add(again);
            await().atMost(WAIT).until(() -> got.size() == 4);
            assertThat(got).containsExactly("m0", "m1", "m2", "m3");
            assertThat(bob.cxo.dialledCount()).isGreaterThanOrEqualTo(2);
        } finally {
            sub.dispose();
        }
    }

    @Test
    void aPeerWhoseFeedPortIsClosedRefusesTheStreamAndTheChatPortIsUntouched() {
        Peer carol = new Peer(CAROL, "carol.db", List.of());
        carol.cxo.close(); // carol's dmsg is up, but nobody listens on 50 any more
        Peer bob = new Peer(BOB, "bob.db", List.of());
        StepVerifier.create(bob.dmsg.dialStream(CAROL.publicKey(), StreamNetwork.CXO_PORT))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TransportException.class))
                .verify(WAIT);
        await().atMost(WAIT).until(() -> carol.dmsgStats.streamsRejected.get() == 1);
        StepVerifier.create(bob.dmsg.dialStream(CAROL.publicKey(), io.skychat.core.Transport.CHAT_PORT))
                .expectNextMatches(s -> s.peer().equals(CAROL.publicKey()) && s.isOpen())
                .verifyComplete();
    }

    @Test
    void aSecondListenerOnTheSamePortIsRefused() {
        Peer alice = new Peer(ALICE, "alice.db", List.of());
        StepVerifier.create(alice.dmsg.listen(StreamNetwork.CXO_PORT))
                .expectErrorMessage("dmsg port 50 already has a listener")
                .verify(WAIT);
    }
}
