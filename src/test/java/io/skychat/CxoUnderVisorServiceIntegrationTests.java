package io.skychat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.skychat.crypto.KeyPair;
import io.skychat.feed.node.FeedLeaf;
import io.skychat.feed.node.FeedNode;
import io.skychat.support.Keys;
import io.skychat.support.Node;
import io.skychat.support.visor.TestVisor;
import io.skychat.transport.visor.ProcKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/**
 * Two whole nodes as a test visor's children, each given its visor's key: feeds travel over skynet on the CXO
 * port through the visor's app server, with {@code --cxo-peer skynet://<pk>}.
 */
class CxoUnderVisorServiceIntegrationTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    private Node child(TestVisor visor, ProcKey key, String dir, String... flags) {
        Path home = work.resolve(dir);
        return Node.start(home, Map.of("PROC_CONFIG", visor.procConfig(key, home.toString())), flags);
    }

    @Test
    void bobFollowsAlicesFeedOverSkynetThroughTheVisor() {
        org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault(); // see VisorHostedIntegrationTests
        try (TestVisor visor = new TestVisor().start()) {
            ProcKey aliceKey = visor.register(ALICE.publicKey());
            ProcKey bobKey = visor.register(BOB.publicKey());
            try (Node alice = child(visor, aliceKey, "a", "--sk", Keys.ALICE_SK);
                 Node bob = child(visor, bobKey, "b", "--sk", Keys.BOB_SK, "--cxo-peer", "skynet://" + ALICE.publicKey(),
                         "--skychat.cxo.backoff-max=1s")) {
                FeedNode a = alice.bean(FeedNode.class);
                a.share(ALICE, Set.of(BOB.publicKey())).block(WAIT);
                a.publish(ALICE.publicKey(), tree -> tree.put("msgs/1", "hello under a visor".getBytes(StandardCharsets.UTF_8)))
                        .block(WAIT);
                FeedNode b = bob.bean(FeedNode.class);
                await().atMost(WAIT).until(() -> b.connectedPeers().contains(ALICE.publicKey()));
                StepVerifier.create(b.subscribe(ALICE.publicKey(), ALICE.publicKey()).map(FeedLeaf::text).take(1))
                        .expectNext("hello under a visor")
                        .expectComplete()
                        .verify(WAIT);
                // alice listens on the CXO port of both visor networks (beside chat's and the group probe's)
                for (String net : java.util.List.of("skynet", "dmsg")) {
                    assertThat(visor.listens(net, ALICE.publicKey(), io.skychat.core.StreamNetwork.CXO_PORT)).as(net).isTrue();
                }
            }
        } finally {
            org.awaitility.Awaitility.reset();
        }
    }
}
