package io.skychat.transport.dmsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.core.Transport;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Pinned servers, several sessions per client, and peers on different servers. */
class DmsgTwoServersIntegrationTests {

    static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    static final KeyPair CAROL = KeyPair.fromSecretHex(Keys.CAROL_SK);

    ExecutorService crypto = cryptoPool();

    /** Shaped like the node's crypto executor: handing it work from an event loop never parks. */
    static ExecutorService cryptoPool() {
        return new io.skychat.core.HandOffExecutor("test-crypto", 2, 1024, "the crypto pool");
    }
    TestDiscovery discovery;
    TestDmsgServer s1;
    TestDmsgServer s2;
    List<DmsgTransport> clients = new java.util.ArrayList<>();

    @BeforeEach
    void start() {
        discovery = TestDiscovery.start();
        s1 = new TestDmsgServer(KeyPair.deterministic("server one".getBytes()), discovery).start();
        s2 = new TestDmsgServer(KeyPair.deterministic("server two".getBytes()), discovery).start();
    }

    @AfterEach
    void stop() {
        clients.forEach(DmsgTransport::close);
        s1.close();
        s2.close();
        discovery.close();
        crypto.shutdownNow();
    }

    DmsgTransport client(KeyPair key, String disc, int sessions, TestDmsgServer... pinned) {
        List<DmsgServerAddress> p = java.util.Arrays.stream(pinned).map(s -> DmsgServerAddress.parse(s.address())).toList();
        DmsgTransport t = new DmsgTransport(key, DmsgSettings.of(URI.create(disc), sessions, p)
                .withTimings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofMillis(200), Duration.ofSeconds(2)), crypto, new DmsgStats());
        clients.add(t);
        return t.startNow();
    }

    List<PeerKey> delegated(KeyPair k) {
        return discovery.entry(k.publicKey()).map(e -> e.client().delegatedServers()).orElse(List.of());
    }

    @Test
    void aPinnedServerNeedsNoDiscoveryForTheSession() {
        DmsgTransport alone = client(ALICE, "http://127.0.0.1:1", 1, s1);
        await().atMost(Duration.ofSeconds(10)).until(alone::isUp);
        assertThat(alone.sessionServers()).containsExactly(s1.key());
        assertThat(s1.hasSession(ALICE.publicKey())).isTrue();
    }

    @Test
    void peersOnDifferentServersReachEachOtherThroughTheCalleesServer() {
        DmsgTransport alice = client(ALICE, discovery.url(), 1, s1);
        DmsgTransport bob = client(BOB, discovery.url(), 1, s2);
        Sinks.Many<ChatLink> atBob = Sinks.many().replay().all();
        bob.links().subscribe(atBob::tryEmitNext);
        await().atMost(Duration.ofSeconds(10)).until(() -> delegated(ALICE).equals(List.of(s1.key()))
                && delegated(BOB).equals(List.of(s2.key())));

        ChatLink a = alice.dial(BOB.publicKey(), Transport.CHAT_PORT).block(Duration.ofSeconds(10));
        assertThat(alice.sessionServers()).contains(s1.key(), s2.key());
        await().atMost(Duration.ofSeconds(10)).until(() -> delegated(ALICE).size() == 2);
        ChatLink b = atBob.asFlux().blockFirst(Duration.ofSeconds(10));
        MessageId id = MessageId.random();
        Sinks.Many<Envelope> in = Sinks.many().replay().all();
        b.inbound().subscribe(in::tryEmitNext);
        a.send(new Envelope.ChatMsg(id, "across servers", true, null)).block(Duration.ofSeconds(5));
        StepVerifier.create(in.asFlux().take(1))
                .expectNextMatches(e -> e instanceof Envelope.ChatMsg m && m.id().equals(id))
                .expectComplete().verify(Duration.ofSeconds(10));
        assertThat(s2.streamsSpliced.get()).isEqualTo(1);
        assertThat(s1.streamsSpliced.get()).isZero();
    }

    @Test
    void twoSessionsAreKeptAndGarbageOnOneLeavesTheOther() {
        DmsgTransport carol = client(CAROL, discovery.url(), 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> carol.sessionServers().size() == 2 && delegated(CAROL).size() == 2);
        long established = carol.stats().sessionsEstablished.get();
        s1.injectRaw(CAROL.publicKey(), new byte[] {0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // unknown frame type
        await().atMost(Duration.ofSeconds(5)).until(() -> carol.stats().sessionsDroppedForProtocol.get() == 1);
        assertThat(s2.hasSession(CAROL.publicKey())).as("the other session stays").isTrue();
        assertThat(carol.isUp()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> carol.stats().sessionsEstablished.get() == established + 1
                && carol.sessionServers().size() == 2);
    }

    @Test
    void theEntryIsPostedAgainWithoutAChangeEveryRefreshInterval() {
        DmsgTransport t = new DmsgTransport(ALICE, DmsgSettings.of(URI.create(discovery.url()), 1,
                List.of(DmsgServerAddress.parse(s1.address()))).withEntryRefresh(Duration.ofMillis(300)), crypto, new DmsgStats());
        clients.add(t.startNow());
        await().atMost(Duration.ofSeconds(10)).until(() -> discovery.entry(ALICE.publicKey()).map(e -> e.sequence() >= 3).orElse(false));
        assertThat(delegated(ALICE)).containsExactly(s1.key());
        assertThat(discovery.refusedPosts.get()).as("every iteration was accepted").isZero();
    }
}
