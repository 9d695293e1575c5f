package io.skychat.feed.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.feed.Publication;
import io.skychat.feed.SignedRoot;
import io.skychat.feed.TreeStore;
import io.skychat.feed.wire.NodeFrame;
import io.skychat.feed.wire.NodeMessage;
import io.skychat.support.Keys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Two or three nodes over in-memory pipes of bytes, on one thread and virtual time: no sockets, no waiting. */
class FeedNodeTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final KeyPair CAROL = KeyPair.fromSecretHex(Keys.CAROL_SK);
    private static final Duration NOW = Duration.ofSeconds(5);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<FeedNode> nodes = new ArrayList<>();
    private final List<Disposable> subscriptions = new ArrayList<>();

    @AfterEach
    void close() {
        subscriptions.forEach(Disposable::dispose);
        nodes.forEach(FeedNode::close);
        time.dispose();
    }

    private FeedNode node(KeyPair key, MemoryFeedStore store, FeedNodeSettings settings) {
        FeedNode n = new FeedNode(key, store, settings, Runnable::run, time).start();
        nodes.add(n);
        return n;
    }

    private FeedNode node(KeyPair key) {
        return node(key, new MemoryFeedStore(), FeedNodeSettings.DEFAULTS);
    }

    /** Collects what a subscription emits and how it ends. */
    private static final class Follower {
        final List<FeedLeaf> leaves = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        List<String> texts() {
            return leaves.stream().map(FeedLeaf::text).toList();
        }

        List<String> paths() {
            return leaves.stream().map(FeedLeaf::path).toList();
        }
    }

    private Follower follow(FeedNode node, PeerKey feed, PeerKey at) {
        Follower f = new Follower();
        subscriptions.add(node.subscribe(feed, at).subscribe(f.leaves::add, f.errors::add));
        return f;
    }

    private static String path(int i) {
        return String.format("msgs/%019d-%06d", 1_700_000_000_000_000_000L + i, i);
    }

    private static void publish(FeedNode node, int from, int to) {
        node.publish(node.id(), tree -> {
            for (int i = from; i < to; i++) {
                tree.put(path(i), ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
        }).block(NOW);
    }

    private static List<String> texts(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("m" + i);
        }
        return out;
    }

    @Test
    void aSubscriberReceivesTheTreeThenEveryNewLeafOnce() {
        FeedNode alice = node(ALICE);
        FeedNode bob = node(BOB);
        alice.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        publish(alice, 0, 3);

        Pipe.connect(bob, alice);
        Follower f = follow(bob, ALICE.publicKey(), ALICE.publicKey());
        assertThat(f.texts()).containsExactly("m0", "m1", "m2");

        publish(alice, 3, 5);
        assertThat(f.texts()).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(f.leaves.get(4).seq()).isEqualTo(1);
        assertThat(f.errors).isEmpty();
        assertThat(bob.stats().fillsCompleted.get()).isEqualTo(2);
        assertThat(alice.stats().rootsPushed.get()).isEqualTo(1);
    }

    @Test
    void theLastLeafOfEachRootIsMarkedSoAConsumerCanTakeOneRootAtATime() {
        FeedNode alice = node(ALICE);
        FeedNode bob = node(BOB);
        alice.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        publish(alice, 0, 3);
        Pipe.connect(bob, alice);
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        subscriptions.add(bob.subscribe(ALICE.publicKey(), ALICE.publicKey())
                .bufferUntil(FeedLeaf::lastOfRoot)
                .subscribe(b -> batches.add(b.stream().map(FeedLeaf::text).toList())));
        publish(alice, 3, 5);
        alice.publish(ALICE.publicKey(), tree -> tree.put(path(0), "m0 edited".getBytes(StandardCharsets.UTF_8)))
                .block(NOW);
        assertThat(batches).containsExactly(List.of("m0", "m1", "m2"), List.of("m3", "m4"), List.of("m0 edited"));
    }

    @Test
    void anOfflineSubscriberCatchesUpInOrderWhenItReconnects() {
        FeedNode alice = node(ALICE);
        FeedNode bob = node(BOB);
        alice.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        publish(alice, 0, 1);
        Follower f = follow(bob, ALICE.publicKey(), ALICE.publicKey());
        Pipe link = Pipe.connect(bob, alice);
        assertThat(f.texts()).containsExactly("m0");

        link.cut();
        assertThat(bob.connectedPeers()).isEmpty();
        for (int i = 1; i <= 20; i++) {
            publish(alice, i, i + 1); // one Root each; bob misses all twenty
        }
        assertThat(f.leaves).hasSize(1);

        Pipe.connect(bob, alice);
        assertThat(f.texts()).isEqualTo(texts(0, 21));
        assertThat(f.leaves.subList(1, 21)).allSatisfy(l -> assertThat(l.seq()).isEqualTo(20));
        assertThat(bob.stats().rootsAccepted.get()).isEqualTo(2); // Seq 0, then straight to Seq 20
    }

    @Test
    void aNewSubscriptionStartsFromTheTreeSavedBeforeARestart() {
        MemoryFeedStore bobStore = new MemoryFeedStore();
        FeedNode alice = node(ALICE);
        FeedNode bob = node(BOB, bobStore, FeedNodeSettings.DEFAULTS);
        alice.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        publish(alice, 0, 4);
        follow(bob, ALICE.publicKey(), ALICE.publicKey());
        Pipe.connect(bob, alice).cut();
        bob.close();

        FeedNode bobAgain = node(BOB, bobStore, FeedNodeSettings.DEFAULTS);
        Follower f = follow(bobAgain, ALICE.publicKey(), ALICE.publicKey());
        assertThat(f.texts()).isEqualTo(texts(0, 4)); // from the store, no connection open
        assertThat(bobAgain.connectedPeers()).isEmpty();

        publish(alice, 4, 6);
        Pipe.connect(bobAgain, alice);
        assertThat(f.texts()).isEqualTo(texts(0, 6));
        // only the new part of the tree crossed the pipe
        assertThat(bobAgain.stats().objectsReceived.get()).isLessThan(bob.stats().objectsReceived.get() + 12);
    }

    @Test
    void whenBothSidesDialAtOnceOneConnectionStaysAndFeedsFlowBothWays() {
        FeedNode alice = node(ALICE);
        FeedNode bob = node(BOB);
        alice.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        bob.share(BOB, Set.of(ALICE.publicKey())).block(NOW);
        publish(alice, 0, 1);
        publish(bob, 0, 2);
        Follower bobFollows = follow(bob, ALICE.publicKey(), ALICE.publicKey());
        Follower aliceFollows = follow(alice, BOB.publicKey(), BOB.publicKey());

        Pipe aliceDialled = Pipe.connect(alice, bob);
        Pipe bobDialled = Pipe.connect(bob, alice);
        // the smaller key dialled one of them; both ends keep that one and close the other
        boolean aliceSmaller = ALICE.publicKey().compareTo(BOB.publicKey()) < 0;
        assertThat(aliceDialled.isCut()).isEqualTo(!aliceSmaller);
        assertThat(bobDialled.isCut()).isEqualTo(aliceSmaller);
        assertThat(alice.connectedPeers()).containsExactly(BOB.publicKey());
        assertThat(bob.connectedPeers()).containsExactly(ALICE.publicKey());
        assertThat(bobFollows.texts()).containsExactly("m0");
        assertThat(aliceFollows.texts()).containsExactly("m0", "m1");
    }

    @Test
    void aPublisherResumesItsFeedFromTheStore() {
        MemoryFeedStore aliceStore = new MemoryFeedStore();
        FeedNode alice = node(ALICE, aliceStore, FeedNodeSettings.DEFAULTS);
        alice.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        publish(alice, 0, 2);
        alice.close();

        FeedNode aliceAgain = node(ALICE, aliceStore, FeedNodeSettings.DEFAULTS);
        aliceAgain.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        publish(aliceAgain, 2, 3);
        assertThat(aliceStore.roots.get(ALICE.publicKey()).root().seq()).isEqualTo(1); // the chain went on
        FeedNode bob = node(BOB);
        Pipe.connect(bob, aliceAgain);
        assertThat(follow(bob, ALICE.publicKey(), ALICE.publicKey()).texts()).isEqualTo(texts(0, 3));
    }

    @Test
    void aPeerOffTheAllowlistIsRefusedExactlyAsForAFeedThatDoesNotExist() {
        FeedNode alice = node(ALICE);
        alice.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        publish(alice, 0, 2);
        FeedNode carol = node(CAROL);
        FeedNode bob = node(BOB);
        Pipe.connect(carol, alice);
        Pipe.connect(bob, alice);

        Follower refused = follow(carol, ALICE.publicKey(), ALICE.publicKey());
        Follower noSuchFeedForCarol = follow(carol, KeyPair.generate().publicKey(), ALICE.publicKey());
        Follower noSuchFeedForBob = follow(bob, KeyPair.generate().publicKey(), ALICE.publicKey());

        assertThat(refused.leaves).isEmpty();
        String words = refusal(refused);
        assertThat(words).endsWith(": subscribe rejected");
        assertThat(refusal(noSuchFeedForCarol)).endsWith(": subscribe rejected");
        assertThat(refusal(noSuchFeedForBob)).endsWith(": subscribe rejected");
        assertThat(alice.stats().subscribesRefused.get()).isEqualTo(3);
        assertThat(alice.stats().objectsServed.get()).isZero();

        // the allowlist decides; adding carol lets her in on her next subscribe
        alice.allow(ALICE.publicKey(), Set.of(BOB.publicKey(), CAROL.publicKey())).block(NOW);
        assertThat(follow(carol, ALICE.publicKey(), ALICE.publicKey()).texts()).containsExactly("m0", "m1");
    }

    private static String refusal(Follower f) {
        assertThat(f.errors).hasSize(1);
        assertThat(f.errors.get(0)).isInstanceOf(FeedNodeException.class);
        assertThat(((FeedNodeException) f.errors.get(0)).type()).isEqualTo("feed-subscribe-refused");
        return f.errors.get(0).getMessage();
    }

    @Test
    void removingAPeerFromTheAllowlistStopsItsRoots() {
        FeedNode alice = node(ALICE);
        FeedNode bob = node(BOB);
        alice.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        publish(alice, 0, 1);
        Pipe.connect(bob, alice);
        Follower f = follow(bob, ALICE.publicKey(), ALICE.publicKey());
        alice.allow(ALICE.publicKey(), Set.of()).block(NOW);
        publish(alice, 1, 2);
        assertThat(f.texts()).containsExactly("m0");
    }

    @Test
    void aQuietFeedIsRepublishedEvery45Seconds() {
        FeedNode alice = node(ALICE);
        FeedNode bob = node(BOB);
        alice.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        publish(alice, 0, 2);
        Pipe.connect(bob, alice);
        Follower f = follow(bob, ALICE.publicKey(), ALICE.publicKey());

        time.advanceTimeBy(Duration.ofSeconds(44));
        assertThat(alice.stats().heartbeats.get()).isZero();
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(alice.stats().heartbeats.get()).isEqualTo(1);
        assertThat(bob.stats().rootsAccepted.get()).isEqualTo(2); // the heartbeat Root was filled
        assertThat(f.leaves).hasSize(2); // but it carried nothing new
        // a link a feed travels on stays, though bob, filled, says nothing (and nobody pings)
        time.advanceTimeBy(Duration.ofMinutes(5));
        assertThat(bob.connectedPeers()).containsExactly(ALICE.publicKey());
        assertThat(alice.connectedPeers()).containsExactly(BOB.publicKey());
    }

    @Test
    void aSilentConnectionCarryingNoFeedIsClosedAndNobodyIsPingedByDefault() {
        FeedNode bob = node(BOB);
        ScriptedPeer alice = ScriptedPeer.dialledBy(bob, ALICE.publicKey());
        assertThat(bob.connectedPeers()).containsExactly(ALICE.publicKey());
        time.advanceTimeBy(Duration.ofSeconds(89));
        assertThat(bob.connectedPeers()).containsExactly(ALICE.publicKey());
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(bob.connectedPeers()).isEmpty();
        assertThat(alice.closed).isTrue();
        assertThat(alice.messages()).noneMatch(m -> m instanceof NodeMessage.Ping); // upstream would hang up on one
    }

    @Test
    void withPingsOnAQuietPeerIsPingedAndAnAnswerKeepsItOpen() {
        FeedNode bob = node(BOB, new MemoryFeedStore(), FeedNodeSettings.DEFAULTS.withPingAfter(Duration.ofSeconds(30)));
        FeedNode alice = node(ALICE, new MemoryFeedStore(), FeedNodeSettings.DEFAULTS.withPingAfter(Duration.ofSeconds(30)));
        Pipe.connect(bob, alice);
        time.advanceTimeBy(Duration.ofMinutes(5));
        assertThat(bob.connectedPeers()).containsExactly(ALICE.publicKey()); // Pongs count as life

        ScriptedPeer mute = ScriptedPeer.dialledBy(bob, CAROL.publicKey());
        mute.closed = true; // answers nothing, not even Pings
        time.advanceTimeBy(Duration.ofSeconds(91));
        assertThat(mute.messages()).anyMatch(m -> m instanceof NodeMessage.Ping);
        assertThat(bob.connectedPeers()).containsExactly(ALICE.publicKey());
    }

    // ---- bad input --------------------------------------------------------------------------------

    /** A tree of alice's, published outside any node, for a scripted alice to push. */
    private static final class AliceTree {
        final TreeStore tree = new TreeStore(ALICE);
        Publication last;

        Publication publish(int from, int to) {
            for (int i = from; i < to; i++) {
                tree.put(path(i), ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            last = tree.publish(1_700_000_000_000_000_000L + to);
            return last;
        }
    }

    private ScriptedPeer scriptedAlice(FeedNode bob, AliceTree tree) {
        ScriptedPeer alice = ScriptedPeer.dialledBy(bob, ALICE.publicKey());
        alice.source = key -> tree.last == null ? null : tree.last.source().get(key);
        return alice;
    }

    private static void push(ScriptedPeer peer, SignedRoot root) {
        peer.send(0, NodeMessage.Root.of(root));
    }

    @Test
    void aRootWithABadSignatureIsRefusedAndTheNextGoodOneFills() {
        FeedNode bob = node(BOB);
        AliceTree tree = new AliceTree();
        Follower f = follow(bob, ALICE.publicKey(), ALICE.publicKey());
        List<FeedNodeException> failures = new CopyOnWriteArrayList<>();
        subscriptions.add(bob.failures().subscribe(failures::add));
        ScriptedPeer alice = scriptedAlice(bob, tree);
        SignedRoot good = tree.publish(0, 2).root();
        byte[] sig = good.sig();
        sig[10] ^= 1;
        alice.send(0, new NodeMessage.Root(ALICE.publicKey(), 1, 0, good.value(), sig));
        // the same Root signed by someone else
        alice.send(0, new NodeMessage.Root(ALICE.publicKey(), 1, 0, good.value(), carolSignature(good)));

        assertThat(bob.stats().rootsRejected.get()).isEqualTo(2);
        assertThat(f.leaves).isEmpty();
        assertThat(failures).extracting(FeedNodeException::type).contains("feed-root-refused");
        assertThat(alice.messages()).noneMatch(m -> m instanceof NodeMessage.RqObject);

        push(alice, good);
        assertThat(f.texts()).containsExactly("m0", "m1");
        assertThat(alice.closed).isFalse(); // a bad Root does not cost the connection (upstream keeps it too)
    }

    private static byte[] carolSignature(SignedRoot root) {
        return io.skychat.crypto.Signatures.signHash(root.hash().bytes(), CAROL.secret());
    }

    @Test
    void aReplayedOrLowerSeqIsDroppedBeforeAnyWork() {
        FeedNode bob = node(BOB);
        AliceTree tree = new AliceTree();
        Follower f = follow(bob, ALICE.publicKey(), ALICE.publicKey());
        ScriptedPeer alice = scriptedAlice(bob, tree);
        SignedRoot first = tree.publish(0, 1).root();
        SignedRoot second = tree.publish(1, 2).root();
        push(alice, second);
        assertThat(f.texts()).containsExactly("m0", "m1");
        long requests = alice.messages().stream().filter(m -> m instanceof NodeMessage.RqObject).count();

        push(alice, second); // replayed
        push(alice, first);  // lower
        assertThat(bob.stats().rootsStale.get()).isEqualTo(2);
        assertThat(bob.stats().rootsRejected.get()).isZero();
        assertThat(f.leaves).hasSize(2);
        assertThat(alice.messages().stream().filter(m -> m instanceof NodeMessage.RqObject).count()).isEqualTo(requests);
    }

    @Test
    void anObjectThatDoesNotMatchItsHashAbandonsTheFillAndNothingElse() {
        FeedNode bob = node(BOB);
        AliceTree tree = new AliceTree();
        Follower f = follow(bob, ALICE.publicKey(), ALICE.publicKey());
        ScriptedPeer alice = scriptedAlice(bob, tree);
        alice.objectReply = b -> {
            byte[] spoiled = b.clone();
            spoiled[spoiled.length - 1] ^= 1;
            return spoiled;
        };
        push(alice, tree.publish(0, 3).root());
        assertThat(bob.stats().objectsRejected.get()).isEqualTo(1);
        assertThat(bob.stats().fillsAbandoned.get()).isEqualTo(1);
        assertThat(f.leaves).isEmpty();
        assertThat(f.errors).isEmpty(); // the subscription lives on

        alice.objectReply = b -> b;
        push(alice, tree.publish(3, 4).root());
        assertThat(f.texts()).isEqualTo(texts(0, 4));
    }

    @Test
    void aFillThatNeverEndsIsAbandonedAfterItsTimeBound() {
        FeedNode bob = node(BOB, new MemoryFeedStore(),
                FeedNodeSettings.DEFAULTS.withFillBounds(Duration.ofSeconds(20), 1000, 1 << 20));
        AliceTree tree = new AliceTree();
        Follower f = follow(bob, ALICE.publicKey(), ALICE.publicKey());
        List<FeedNodeException> failures = new CopyOnWriteArrayList<>();
        subscriptions.add(bob.failures().subscribe(failures::add));
        ScriptedPeer alice = scriptedAlice(bob, tree);
        alice.objectReply = b -> null; // asked, never answers
        push(alice, tree.publish(0, 3).root());
        time.advanceTimeBy(Duration.ofSeconds(19));
        assertThat(bob.stats().fillsAbandoned.get()).isZero();
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(bob.stats().fillsAbandoned.get()).isEqualTo(1);
        assertThat(failures).extracting(FeedNodeException::getMessage)
                .anySatisfy(m -> assertThat(m).contains("abandoned: not complete after 20 s"));

        alice.objectReply = b -> b;
        push(alice, tree.publish(3, 4).root());
        assertThat(f.texts()).isEqualTo(texts(0, 4));
    }

    @Test
    void aFillNeedingMoreObjectsOrBytesThanAllowedIsAbandoned() {
        FeedNode bob = node(BOB, new MemoryFeedStore(),
                FeedNodeSettings.DEFAULTS.withFillBounds(Duration.ofMinutes(1), 10, 1 << 20));
        AliceTree tree = new AliceTree();
        Follower f = follow(bob, ALICE.publicKey(), ALICE.publicKey());
        ScriptedPeer alice = scriptedAlice(bob, tree);
        push(alice, tree.publish(0, 40).root()); // about 45 objects
        assertThat(bob.stats().fillsAbandoned.get()).isEqualTo(1);
        assertThat(f.leaves).isEmpty();

        FeedNode bounded = node(KeyPair.generate(), new MemoryFeedStore(),
                FeedNodeSettings.DEFAULTS.withFillBounds(Duration.ofMinutes(1), 1000, 300));
        Follower g = follow(bounded, ALICE.publicKey(), ALICE.publicKey());
        ScriptedPeer alice2 = scriptedAlice(bounded, tree);
        push(alice2, tree.last.root());
        assertThat(bounded.stats().fillsAbandoned.get()).isEqualTo(1);
        assertThat(g.leaves).isEmpty();
    }

    @Test
    void anOversizedFrameClosesOnlyThatConnection() {
        FeedNode alice = node(ALICE, new MemoryFeedStore(), FeedNodeSettings.DEFAULTS.withMaxFrame(1024));
        alice.share(ALICE, Set.of(BOB.publicKey(), CAROL.publicKey())).block(NOW);
        publish(alice, 0, 1);
        FeedNode bob = node(BOB);
        Pipe.connect(bob, alice);
        Follower f = follow(bob, ALICE.publicKey(), ALICE.publicKey());

        ScriptedPeer carol = ScriptedPeer.dialling(alice, CAROL.publicKey());
        carol.send(ScriptedPeer.syn(CAROL.publicKey(), ScriptedPeer.version()));
        assertThat(alice.connectedPeers()).contains(CAROL.publicKey());
        carol.sendBytes(ByteBuffer.allocate(4).putInt(1025).array()); // a header claiming 1025 bytes
        assertThat(alice.stats().framesRejected.get()).isEqualTo(1);
        assertThat(carol.closed).isTrue();
        assertThat(alice.connectedPeers()).containsExactly(BOB.publicKey());

        publish(alice, 1, 2);
        assertThat(f.texts()).containsExactly("m0", "m1");
    }

    @Test
    void aSynNamingAnotherKeyThanTheTransportProvedIsRefused() {
        FeedNode alice = node(ALICE);
        ScriptedPeer bob = ScriptedPeer.dialling(alice, BOB.publicKey());
        bob.send(ScriptedPeer.syn(CAROL.publicKey(), ScriptedPeer.version()));
        assertThat(bob.messages()).hasSize(1).first().isInstanceOf(NodeMessage.Err.class);
        assertThat(bob.closed).isTrue();
        assertThat(alice.connectedPeers()).isEmpty();
        assertThat(alice.stats().connectionsRefused.get()).isEqualTo(1);
    }

    @Test
    void aSynOfAnotherVersionGetsUpstreamsWords() {
        FeedNode alice = node(ALICE);
        ScriptedPeer bob = ScriptedPeer.dialling(alice, BOB.publicKey());
        bob.send(ScriptedPeer.syn(BOB.publicKey(), 2));
        assertThat(bob.messages()).containsExactly(new NodeMessage.Err("incompatible protocol version: 2, want 3"));
        assertThat(bob.received.get(0).rseq()).isEqualTo(1);
        assertThat(bob.closed).isTrue();
    }

    @Test
    void anythingButSynBeforeTheHandshakeClosesTheConnection() {
        FeedNode alice = node(ALICE);
        alice.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        ScriptedPeer bob = ScriptedPeer.dialling(alice, BOB.publicKey());
        bob.send(new NodeFrame(1, 0, new NodeMessage.Sub(ALICE.publicKey())));
        assertThat(bob.closed).isTrue();
        assertThat(bob.messages()).isEmpty();
    }

    @Test
    void aHandshakeNeverFinishedTimesOut() {
        FeedNode alice = node(ALICE);
        ScriptedPeer bob = ScriptedPeer.dialling(alice, BOB.publicKey());
        time.advanceTimeBy(Duration.ofSeconds(31));
        assertThat(bob.closed).isTrue();
        assertThat(alice.stats().connectionsRefused.get()).isEqualTo(1);
    }

    @Test
    void aConsumerThatFallsBehindItsBufferFailsAloneAndCanStartAgain() {
        FeedNode alice = node(ALICE);
        FeedNode bob = node(BOB, new MemoryFeedStore(), FeedNodeSettings.DEFAULTS.withSubscriberBuffer(8));
        alice.share(ALICE, Set.of(BOB.publicKey())).block(NOW);
        publish(alice, 0, 100); // more than the buffer (8) and the 32 in flight past it
        Pipe.connect(bob, alice);
        List<FeedLeaf> slow = new CopyOnWriteArrayList<>();
        List<Throwable> slowErrors = new CopyOnWriteArrayList<>();
        reactor.core.publisher.BaseSubscriber<FeedLeaf> stalled = new reactor.core.publisher.BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                s.request(1);
            }

            @Override
            protected void hookOnNext(FeedLeaf leaf) {
                slow.add(leaf); // and never asks for more
            }

            @Override
            protected void hookOnError(Throwable t) {
                slowErrors.add(t);
            }
        };
        bob.subscribe(ALICE.publicKey(), ALICE.publicKey()).subscribe(stalled);
        Follower fast = follow(bob, ALICE.publicKey(), ALICE.publicKey());

        assertThat(slowErrors).singleElement().satisfies(e ->
                assertThat(((FeedNodeException) e).type()).isEqualTo("feed-subscriber-overflow"));
        assertThat(bob.stats().subscriberOverflows.get()).isEqualTo(1);
        assertThat(fast.texts()).isEqualTo(texts(0, 100)); // whoever keeps up is unaffected
        stalled.dispose();
    }
}
