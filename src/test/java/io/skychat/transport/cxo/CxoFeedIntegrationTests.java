package io.skychat.transport.cxo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
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
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedLeaf;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeException;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.feed.node.NodeExecutor;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteFeedStore;
import io.skychat.support.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Feed nodes over real loopback TCP with Noise XX, each with its own SQLite store. */
class CxoFeedIntegrationTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final KeyPair CAROL = KeyPair.fromSecretHex(Keys.CAROL_SK);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final ExecutorService crypto = new io.skychat.core.HandOffExecutor("test-crypto", 2, 1024, "the crypto pool");
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        crypto.shutdownNow();
    }

    /** A node with its store, its transport listening on port 0 and/or dialling {@code peers}. */
    private final class Peer implements AutoCloseable {
        final SqliteDatabase db;
        final NodeExecutor executor;
        final FeedNode node;
        final CxoTransport cxo;

        Peer(KeyPair key, String dbName, boolean listen, List<CxoPeer> peers) {
            db = SqliteDatabase.openNow(dir.resolve(dbName));
            executor = new NodeExecutor("feed-" + dbName);
            node = new FeedNode(key, new SqliteFeedStore(db, Clock.systemUTC()), FeedNodeSettings.DEFAULTS, executor,
                    Schedulers.parallel()).start();
            cxo = new CxoTransport(key, CxoSettings.of(listen ? new InetSocketAddress("127.0.0.1", 0) : null, peers)
                    .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)), crypto, node).startNow();
            open.add(this);
        }

        CxoPeer address() {
            return new CxoPeer(node.id(), "127.0.0.1", cxo.boundAddress().getPort());
        }

        @Override
        public void close() {
            cxo.close();
            node.close();
            executor.close();
            db.close();
            open.remove(this);
        }
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

    private static List<String> texts(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("m" + i);
        }
        return out;
    }

    @Test
    void bobCatchesUpOnTwentyLeavesPublishedWhileHeWasAwayInOrder() {
        Peer alice = new Peer(ALICE, "alice.db", true, List.of());
        alice.node.share(ALICE, Set.of(BOB.publicKey())).block(WAIT);
        publish(alice.node, 0, 1);

        Peer bob = new Peer(BOB, "bob.db", false, List.of(alice.address()));
        List<FeedLeaf> first = new CopyOnWriteArrayList<>();
        Disposable sub = bob.node.subscribe(ALICE.publicKey(), ALICE.publicKey()).subscribe(first::add);
        await().atMost(WAIT).until(() -> first.size() == 1);
        sub.dispose();
        bob.close();
        await().atMost(WAIT).until(() -> alice.node.connectedPeers().isEmpty());

        for (int i = 1; i <= 20; i++) {
            publish(alice.node, i, i + 1); // twenty Roots bob never sees
        }

        Peer bobAgain = new Peer(BOB, "bob.db", false, List.of(alice.address()));
        StepVerifier.create(bobAgain.node.subscribe(ALICE.publicKey(), ALICE.publicKey()).map(FeedLeaf::text).take(21))
                .expectNext("m0") // from bob's store
                .expectNextSequence(texts(1, 21))
                .expectComplete()
                .verify(WAIT);
        assertThat(bobAgain.node.stats().rootsRejected.get()).isZero();
    }

    @Test
    void aLiveSubscriptionResumesWhenTheConnectionComesBack() {
        Peer alice = new Peer(ALICE, "alice.db", true, List.of());
        alice.node.share(ALICE, Set.of(BOB.publicKey())).block(WAIT);
        publish(alice.node, 0, 1);
        Peer bob = new Peer(BOB, "bob.db", false, List.of(alice.address()));
        List<String> got = new CopyOnWriteArrayList<>();
        Disposable sub = bob.node.subscribe(ALICE.publicKey(), ALICE.publicKey()).map(FeedLeaf::text).subscribe(got::add);
        try {
            await().atMost(WAIT).until(() -> got.size() == 1);
            bob.cxo.close(); // the network goes; bob's node and its subscription stay
            await().atMost(WAIT).until(() -> bob.node.connectedPeers().isEmpty() && alice.node.connectedPeers().isEmpty());
            for (int i = 1; i <= 20; i++) {
                publish(alice.node, i, i + 1);
            }
            CxoTransport again = new CxoTransport(BOB, CxoSettings.of(null, List.of(alice.address()))
                    .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)), crypto, bob.node).startNow();
            open.add(again);
            await().atMost(WAIT).until(() -> got.size() == 21);
            assertThat(got).isEqualTo(texts(0, 21));
        } finally {
            sub.dispose();
        }
    }

    @Test
    void carolOffTheAllowlistIsRefusedAsIfTheFeedDidNotExist() {
        Peer alice = new Peer(ALICE, "alice.db", true, List.of());
        alice.node.share(ALICE, Set.of(BOB.publicKey())).block(WAIT);
        publish(alice.node, 0, 3);
        Peer carol = new Peer(CAROL, "carol.db", false, List.of(alice.address()));
        await().atMost(WAIT).until(() -> carol.node.connectedPeers().contains(ALICE.publicKey()));

        String refused = refusal(carol.node.subscribe(ALICE.publicKey(), ALICE.publicKey()));
        String noSuchFeed = refusal(carol.node.subscribe(KeyPair.generate().publicKey(), ALICE.publicKey()));
        assertThat(refused).isEqualTo(noSuchFeed).isEqualTo("subscribe rejected");
        assertThat(alice.node.stats().objectsServed.get()).isZero();
        assertThat(alice.node.stats().subscribesRefused.get()).isEqualTo(2);
    }

    /** The peer's own words, after "… refused the subscription to <feed>: ". */
    private static String refusal(reactor.core.publisher.Flux<FeedLeaf> subscription) {
        Throwable[] error = new Throwable[1];
        StepVerifier.create(subscription)
                .expectErrorSatisfies(e -> error[0] = e)
                .verify(WAIT);
        assertThat(error[0]).isInstanceOf(FeedNodeException.class);
        assertThat(((FeedNodeException) error[0]).type()).isEqualTo("feed-subscribe-refused");
        String m = error[0].getMessage();
        return m.substring(m.lastIndexOf(": ") + 2);
    }

    @Test
    void aDialledPeerWithAnotherKeyIsNotTalkedTo() {
        Peer alice = new Peer(ALICE, "alice.db", true, List.of());
        Peer bob = new Peer(BOB, "bob.db", false, List.of());
        CxoPeer wrong = new CxoPeer(CAROL.publicKey(), "127.0.0.1", alice.cxo.boundAddress().getPort());
        StepVerifier.create(bob.cxo.dial(wrong))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("is " + ALICE.publicKey() + ", not "
                        + CAROL.publicKey()))
                .verify(WAIT);
        assertThat(bob.node.connectedPeers()).isEmpty();
    }

    @Test
    void aThousandLeavesFillOverLoopback() {
        Peer alice = new Peer(ALICE, "alice.db", true, List.of());
        alice.node.share(ALICE, Set.of(BOB.publicKey())).block(WAIT);
        int n = 1000;
        alice.node.publish(ALICE.publicKey(), tree -> {
            for (int i = 0; i < n; i++) {
                tree.put(path(i), ("message number " + i + " " + "x".repeat(100)).getBytes(StandardCharsets.UTF_8));
            }
        }).block(WAIT);
        Peer bob = new Peer(BOB, "bob.db", false, List.of(alice.address()));
        await().atMost(WAIT).until(() -> bob.node.connectedPeers().contains(ALICE.publicKey()));

        long start = System.nanoTime();
        List<FeedLeaf> got = bob.node.subscribe(ALICE.publicKey(), ALICE.publicKey()).take(n).collectList().block(WAIT);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(got).hasSize(n);
        assertThat(got.get(n - 1).path()).isEqualTo(path(n - 1));
        System.out.printf("cxo fill of %d leaves (%d objects) over loopback: %d ms%n", n,
                bob.node.stats().objectsReceived.get(), ms);
        PeerKey feed = ALICE.publicKey();
        assertThat(got).allSatisfy(l -> assertThat(l.feed()).isEqualTo(feed));
    }
}
