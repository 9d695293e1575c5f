package io.skychat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedLeaf;
import io.skychat.feed.node.FeedNode;
import io.skychat.support.Keys;
import io.skychat.support.Node;
import io.skychat.transport.dmsg.DmsgStats;
import io.skychat.transport.dmsg.TestDiscovery;
import io.skychat.transport.dmsg.TestDmsgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** Two whole standalone nodes with {@code --dmsg}: feeds travel over dmsg, no CXO TCP listener anywhere. */
class CxoOverDmsgServiceIntegrationTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final KeyPair SERVER = KeyPair.deterministic("skychat cxo over dmsg server".getBytes(StandardCharsets.UTF_8));
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    void bobFollowsAlicesFeedOverDmsgWithCxoPeerDmsg() {
        try (TestDiscovery discovery = TestDiscovery.start();
             TestDmsgServer relay = new TestDmsgServer(SERVER, discovery).start();
             Node alice = Node.start(work.resolve("a"), "--standalone", "--sk", Keys.ALICE_SK, "--dmsg",
                     "--dmsg-disc", discovery.url(), "--skychat.dmsg.backoff-max=1s");
             Node bob = Node.start(work.resolve("b"), "--standalone", "--sk", Keys.BOB_SK, "--dmsg",
                     "--dmsg-disc", discovery.url(), "--skychat.dmsg.backoff-max=1s",
                     "--cxo-peer", "dmsg://" + ALICE.publicKey(), "--skychat.cxo.backoff-max=1s")) {
            FeedNode a = alice.bean(FeedNode.class);
            a.share(ALICE, Set.of(BOB.publicKey())).block(WAIT);
            a.publish(ALICE.publicKey(), tree -> tree.put("msgs/1", "hello over dmsg".getBytes(StandardCharsets.UTF_8)))
                    .block(WAIT);

            FeedNode b = bob.bean(FeedNode.class);
            await().atMost(WAIT).until(() -> b.connectedPeers().contains(ALICE.publicKey()));
            StepVerifier.create(b.subscribe(ALICE.publicKey(), ALICE.publicKey()).map(FeedLeaf::text).take(1))
                    .expectNext("hello over dmsg")
                    .expectComplete()
                    .verify(WAIT);
            assertThat(alice.bean(DmsgStats.class).streamsToListeners.get()).isPositive();
            assertThat(relay.hasSession(PeerKey.parse(ALICE.publicKey().hex()))).isTrue();
        }
    }

    @Test
    void aRelayCxoPeerOnANodeWithoutThatNetworkStopsTheStartSayingWhy() {
        assertThatThrownBy(() -> Node.start(work.resolve("c"), "--standalone", "--sk", Keys.ALICE_SK,
                "--cxo-peer", "dmsg://" + BOB.publicKey()).close())
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cxo-peer dmsg://" + BOB.publicKey() + ": this node does not run dmsg (add --dmsg)");
    }
}
