package io.skychat.transport.visor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.skychat.core.ByteStream;
import io.skychat.core.PeerKey;
import io.skychat.core.StreamNetwork;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedLeaf;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.feed.node.NodeExecutor;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteFeedStore;
import io.skychat.support.Keys;
import io.skychat.support.visor.TestVisor;
import io.skychat.transport.cxo.CxoStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Byte streams on a port other than chat through a test visor's app server (Listen, Accept, Dial, Read and
 * Write on real loopback TCP), and feed nodes following each other's feeds over them on skynet.
 */
class CxoOverVisorIntegrationTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private TestVisor visor;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void startVisor() {
        visor = new TestVisor().start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        visor.close();
    }

    private SkynetTransport skynet(KeyPair key) {
        ProcKey proc = visor.register(key.publicKey());
        ProcConfig config = ProcConfig.parse(visor.procConfig(proc, dir.toString()));
        VisorSession session = new VisorSession(new VisorSettings(VisorSettings.parseAddress(visor.appServerAddress(),
                "test"), key.publicKey(), config, null, List.of(AppAddr.SKYNET, AppAddr.DMSG), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(500)), new VisorStats());
        SkynetTransport skynet = new SkynetTransport(session, new AppNetStats());
        skynet.start();
        session.start();
        open.add(session);
        open.add(skynet);
        await().atMost(WAIT).until(skynet::isUp);
        return skynet;
    }

    private FeedNode node(KeyPair key, String name) {
        SqliteDatabase db = SqliteDatabase.openNow(dir.resolve(name + ".db"));
        NodeExecutor executor = new NodeExecutor("feed-" + name);
        FeedNode node = new FeedNode(key, new SqliteFeedStore(db, Clock.systemUTC()), FeedNodeSettings.DEFAULTS, executor,
                Schedulers.parallel()).start();
        open.add(db);
        open.add(executor::close);
        open.add(node);
        return node;
    }

    @Test
    void bytesCrossAStreamToAListenedPortBothWaysInOrder() {
        SkynetTransport a = skynet(ALICE);
        SkynetTransport b = skynet(BOB);
        List<ByteStream> accepted = new CopyOnWriteArrayList<>();
        Disposable listening = b.listen(77).subscribe(accepted::add);
        open.add(listening::dispose);
        await().atMost(WAIT).until(() -> visor.procOf(BOB.publicKey()).map(p -> p.calls().stream()
                .filter("Listen"::equals).count() == 3).orElse(false));
        ByteStream out = a.dialStream(BOB.publicKey(), 77).block(WAIT);
        await().atMost(WAIT).until(() -> accepted.size() == 1);
        ByteStream in = accepted.get(0);
        assertThat(in.peer()).isEqualTo(ALICE.publicKey());
        assertThat(in.port()).isEqualTo(77);
        out.write("one ".getBytes(StandardCharsets.UTF_8)).block(WAIT);
        out.write("two".getBytes(StandardCharsets.UTF_8)).block(WAIT);
        StringBuilder got = new StringBuilder();
        Disposable reading = in.inbound().subscribe(chunk -> got.append(new String(chunk, StandardCharsets.UTF_8)));
        open.add(reading::dispose);
        await().atMost(WAIT).until(() -> got.toString().equals("one two"));
        in.write("back".getBytes(StandardCharsets.UTF_8)).block(WAIT);
        StepVerifier.create(out.inbound().take(1).map(c -> new String(c, StandardCharsets.UTF_8)))
                .expectNext("back")
                .verifyComplete();
        StepVerifier.create(b.listen(77)).expectError(IllegalStateException.class).verify(WAIT);
    }

    @Test
    void bobFollowsAlicesFeedOverSkynetOnTheCxoPort() {
        SkynetTransport a = skynet(ALICE);
        SkynetTransport b = skynet(BOB);
        FeedNode alice = node(ALICE, "alice");
        FeedNode bob = node(BOB, "bob");
        CxoStreams aliceCxo = new CxoStreams(a, alice, StreamNetwork.CXO_PORT, List.of(), Duration.ofMillis(50),
                Duration.ofMillis(500)).startNow();
        open.add(aliceCxo);
        alice.share(ALICE, Set.of(BOB.publicKey())).block(WAIT);
        alice.publish(ALICE.publicKey(), tree -> tree.put("msgs/1", "over skynet".getBytes(StandardCharsets.UTF_8)))
                .block(WAIT);
        CxoStreams bobCxo = new CxoStreams(b, bob, StreamNetwork.CXO_PORT, List.of(ALICE.publicKey()),
                Duration.ofMillis(50), Duration.ofMillis(500)).startNow();
        open.add(bobCxo);
        StepVerifier.create(bob.subscribe(ALICE.publicKey(), ALICE.publicKey()).map(FeedLeaf::text).take(1))
                .expectNext("over skynet")
                .expectComplete()
                .verify(WAIT);
        assertThat(bobCxo.dialledCount()).isPositive();
        assertThat(aliceCxo.acceptedCount()).isPositive();
        PeerKey bobPk = BOB.publicKey();
        assertThat(alice.connectedPeers()).contains(bobPk);
    }
}
