package io.skychat.transport.cxo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.FeedObject;
import io.skychat.feed.FeedStore;
import io.skychat.feed.Hash;
import io.skychat.feed.SignedRoot;
import io.skychat.feed.node.FeedLeaf;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.feed.node.NodeExecutor;
import io.skychat.feed.wire.NodeFrame;
import io.skychat.feed.wire.NodeMessage;
import io.skychat.support.Keys;
import io.skychat.support.RawNoiseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** A raw Noise XX client misbehaves against a real listener; the node cuts that connection only. */
class CxoHostileInputIntegrationTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final KeyPair CAROL = KeyPair.fromSecretHex(Keys.CAROL_SK);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ExecutorService crypto = new io.skychat.core.HandOffExecutor("test-crypto", 2, 1024, "the crypto pool");
    private final NodeExecutor aliceThread = new NodeExecutor("feed-alice");
    private final NodeExecutor bobThread = new NodeExecutor("feed-bob");
    private FeedNode alice;
    private CxoTransport aliceCxo;
    private FeedNode bob;
    private CxoTransport bobCxo;
    private final List<String> bobGot = new CopyOnWriteArrayList<>();
    private Disposable bobSub;

    /** Nothing to keep across restarts here. */
    private static final class NoStore implements FeedStore {
        @Override
        public Mono<Void> saveRoot(SignedRoot root, java.util.Collection<FeedObject> added, java.util.Collection<Hash> removed) {
            return Mono.empty();
        }

        @Override
        public Mono<SignedRoot> lastRoot(PeerKey feed) {
            return Mono.empty();
        }

        @Override
        public Mono<java.util.Map<Hash, byte[]>> objects(PeerKey feed) {
            return Mono.just(java.util.Map.of());
        }

        @Override
        public Mono<List<PeerKey>> feeds() {
            return Mono.just(List.of());
        }

        @Override
        public Mono<Void> forget(PeerKey feed) {
            return Mono.empty();
        }
    }

    @BeforeEach
    void start() {
        alice = new FeedNode(ALICE, new NoStore(), FeedNodeSettings.DEFAULTS.withMaxFrame(1 << 20), aliceThread,
                Schedulers.parallel()).start();
        aliceCxo = new CxoTransport(ALICE, new CxoSettings(new InetSocketAddress("127.0.0.1", 0), List.of(),
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofMillis(500), 64),
                crypto, alice).startNow();
        alice.share(ALICE, Set.of(BOB.publicKey(), CAROL.publicKey())).block(WAIT);
        publish("m0");
        bob = new FeedNode(BOB, new NoStore(), FeedNodeSettings.DEFAULTS, bobThread, Schedulers.parallel()).start();
        bobCxo = new CxoTransport(BOB, CxoSettings.of(null, List.of(new CxoPeer(ALICE.publicKey(), "127.0.0.1", port())))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)), crypto, bob).startNow();
        bobSub = bob.subscribe(ALICE.publicKey(), ALICE.publicKey()).map(FeedLeaf::text).subscribe(bobGot::add);
        await().atMost(WAIT).until(() -> bobGot.size() == 1);
    }

    @AfterEach
    void stop() {
        bobSub.dispose();
        bobCxo.close();
        bob.close();
        aliceCxo.close();
        alice.close();
        aliceThread.close();
        bobThread.close();
        crypto.shutdownNow();
    }

    private int port() {
        return aliceCxo.boundAddress().getPort();
    }

    private void publish(String text) {
        alice.publish(ALICE.publicKey(), t -> t.put("msgs/" + text, text.getBytes(StandardCharsets.UTF_8))).block(WAIT);
    }

    /** Bob, connected all along, still gets what alice publishes next. */
    private void bobIsUnaffected() {
        publish("m1");
        await().atMost(WAIT).until(() -> bobGot.contains("m1"));
        assertThat(alice.connectedPeers()).contains(BOB.publicKey());
    }

    @Test
    void anOversizedFrameHeaderClosesThatConnectionOnly() throws Exception {
        try (RawNoiseClient carol = RawNoiseClient.xxHandshake(port(), CAROL)) {
            carol.write(carol.seal(new NodeFrame(1, 0, new NodeMessage.Syn(3, CAROL.publicKey())).wire()));
            byte[] ack = carol.readPlain();
            assertThat(ack.length).isPositive();
            await().atMost(WAIT).until(() -> alice.connectedPeers().contains(CAROL.publicKey()));
            carol.write(carol.seal(ByteBuffer.allocate(4).putInt((1 << 20) + 1).array())); // claims 1 MiB + 1
            assertThat(carol.closedByPeer(WAIT)).isTrue();
        }
        assertThat(alice.stats().framesRejected.get()).isEqualTo(1);
        bobIsUnaffected();
    }

    @Test
    void aSynNamingAnotherNodeThanTheNoiseKeyIsRefused() throws Exception {
        try (RawNoiseClient carol = RawNoiseClient.xxHandshake(port(), CAROL)) {
            carol.write(carol.seal(new NodeFrame(1, 0, new NodeMessage.Syn(3, BOB.publicKey())).wire()));
            assertThat(carol.closedByPeer(WAIT)).isTrue();
        }
        assertThat(alice.stats().connectionsRefused.get()).isEqualTo(1);
        bobIsUnaffected();
    }

    @Test
    void aSocketThatNeverFinishesItsHandshakeIsClosed() throws Exception {
        try (RawNoiseClient idle = RawNoiseClient.open(port())) {
            assertThat(idle.closedByPeer(Duration.ofSeconds(10))).isTrue(); // handshake timeout is 1 s here
        }
        assertThat(aliceCxo.handshakeFailures()).isEqualTo(1);
        bobIsUnaffected();
    }
}
