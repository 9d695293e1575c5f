package io.skychat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedLeaf;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.FeedNodeSettings;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteFeedStore;
import io.skychat.support.Keys;
import io.skychat.support.Node;
import io.skychat.transport.cxo.CxoPeer;
import io.skychat.transport.cxo.CxoSettings;
import io.skychat.transport.cxo.CxoTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The service wires CXO over TCP from {@code --cxo-listen}, and leaves it off without it. */
class CxoServiceIntegrationTests {

    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path work;

    @Test
    void aServiceStartedWithCxoListenServesItsFeedToAnAllowedPeer() {
        ExecutorService crypto = new io.skychat.core.HandOffExecutor("test-crypto", 2, 1024, "the crypto pool");
        try (Node alice = Node.start(work.resolve("a"), "--standalone", "--sk", Keys.ALICE_SK,
                "--cxo-listen", "127.0.0.1:0")) {
            FeedNode node = alice.bean(FeedNode.class);
            KeyPair identity = KeyPair.fromSecretHex(Keys.ALICE_SK);
            node.share(identity, Set.of(BOB.publicKey())).block(WAIT);
            node.publish(identity.publicKey(), tree -> tree.put("msgs/1", "hello over cxo".getBytes(StandardCharsets.UTF_8)))
                    .block(WAIT);
            int port = alice.bean(CxoTransport.class).boundAddress().getPort();

            SqliteDatabase db = SqliteDatabase.openNow(work.resolve("bob.db"));
            io.skychat.feed.node.NodeExecutor executor = new io.skychat.feed.node.NodeExecutor("feed-bob");
            FeedNode bob = new FeedNode(BOB, new SqliteFeedStore(db, java.time.Clock.systemUTC()),
                    FeedNodeSettings.DEFAULTS, executor, Schedulers.parallel()).start();
            CxoTransport bobCxo = new CxoTransport(BOB, CxoSettings.of(null,
                    List.of(new CxoPeer(identity.publicKey(), "127.0.0.1", port))), crypto, bob).startNow();
            try {
                StepVerifier.create(bob.subscribe(identity.publicKey(), identity.publicKey()).map(FeedLeaf::text).take(1))
                        .expectNext("hello over cxo")
                        .expectComplete()
                        .verify(WAIT);
            } finally {
                bobCxo.close();
                bob.close();
                executor.close();
                db.close();
            }
        } finally {
            crypto.shutdownNow();
        }
    }

    @Test
    void withoutCxoFlagsNothingListens() {
        try (Node alice = Node.start(work.resolve("a"), "--standalone", "--sk", Keys.ALICE_SK)) {
            assertThat(alice.bean(CxoTransport.class).boundAddress()).isNull();
            assertThat(alice.bean(FeedNode.class).connectedPeers()).isEmpty();
        }
    }
}
