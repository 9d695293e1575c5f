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
import io.skychat.core.TransportException;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Two dmsg clients and a test dmsg server on loopback, without Spring: the adapter's own behaviour. */
class DmsgTransportIntegrationTests {

    static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    static final KeyPair CAROL = KeyPair.fromSecretHex(Keys.CAROL_SK);
    static final KeyPair SERVER = KeyPair.deterministic("test dmsg server 1".getBytes());

    ExecutorService crypto = cryptoPool();

    /** Shaped like the node's crypto executor: handing it work from an event loop never parks. */
    static ExecutorService cryptoPool() {
        return new io.skychat.core.HandOffExecutor("test-crypto", 2, 1024, "the crypto pool");
    }
    TestDiscovery discovery;
    TestDmsgServer server;
    DmsgTransport alice;
    DmsgTransport bob;
    Sinks.Many<ChatLink> bobLinks = Sinks.many().replay().all();

    @BeforeEach
    void start() {
        discovery = TestDiscovery.start();
        server = new TestDmsgServer(SERVER, discovery).start();
        alice = client(ALICE);
        bob = client(BOB);
        bob.links().subscribe(bobLinks::tryEmitNext);
        alice.startNow();
        bob.startNow();
        await().atMost(Duration.ofSeconds(20)).until(() -> alice.isUp() && bob.isUp()
                && delegated(ALICE.publicKey()) && delegated(BOB.publicKey()));
    }

    boolean delegated(PeerKey pk) {
        return discovery.entry(pk).map(e -> e.client().delegatedServers().contains(SERVER.publicKey())).orElse(false);
    }

    DmsgTransport client(KeyPair key) {
        DmsgSettings s = DmsgSettings.of(URI.create(discovery.url()), 1, List.of())
                .withTimings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                        Duration.ofMillis(200), Duration.ofSeconds(2));
        return new DmsgTransport(key, s, crypto, new DmsgStats());
    }

    @AfterEach
    void stop() {
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close();
        }
        server.close();
        discovery.close();
        crypto.shutdownNow();
    }

    @Test
    void aliceDialsBobAndEnvelopesCrossBothWays() {
        ChatLink a = alice.dial(BOB.publicKey(), Transport.CHAT_PORT).block(Duration.ofSeconds(10));
        assertThat(a.peer()).isEqualTo(BOB.publicKey());
        ChatLink b = bobLinks.asFlux().blockFirst(Duration.ofSeconds(10));
        assertThat(b.peer()).isEqualTo(ALICE.publicKey());

        MessageId id = MessageId.random();
        String big = "x".repeat(60_000); // many noise frames, and more than one yamux frame
        a.send(new Envelope.ChatMsg(id, "hello bob", true, null)).block(Duration.ofSeconds(5));
        a.send(new Envelope.ChatMsg(MessageId.random(), big, true, null)).block(Duration.ofSeconds(5));
        Sinks.Many<Envelope> atBob = Sinks.many().replay().all();
        b.inbound().subscribe(atBob::tryEmitNext);
        Sinks.Many<Envelope> atAlice = Sinks.many().replay().all();
        a.inbound().subscribe(atAlice::tryEmitNext);
        StepVerifier.create(atBob.asFlux().take(2))
                .expectNextMatches(e -> e instanceof Envelope.ChatMsg m && m.id().equals(id) && m.body().equals("hello bob"))
                .expectNextMatches(e -> e instanceof Envelope.ChatMsg m && m.body().equals(big))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        b.send(new Envelope.ChatAck(id)).block(Duration.ofSeconds(5));
        StepVerifier.create(atAlice.asFlux().take(1))
                .expectNext(new Envelope.ChatAck(id))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(server.streamsSpliced.get()).isEqualTo(1);
    }

    @Test
    void aPeerWithoutAnEntryIsUnreachableAndSaysWhy() {
        StepVerifier.create(alice.dial(CAROL.publicKey(), Transport.CHAT_PORT))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TransportException.class)
                        .hasMessageContaining("no entry in dmsg discovery"))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void closingALinkEndsItOnBothSides() {
        ChatLink a = alice.dial(BOB.publicKey(), Transport.CHAT_PORT).block(Duration.ofSeconds(10));
        ChatLink b = bobLinks.asFlux().blockFirst(Duration.ofSeconds(10));
        Flux<Envelope> inbound = b.inbound();
        a.close();
        StepVerifier.create(inbound).expectComplete().verify(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.isOpen() && !a.isOpen());
    }

    byte[] request(KeyPair from, PeerKey to, int port) {
        byte[] msg1 = io.skychat.crypto.NoiseHandshake.kkInitiator(from, to).writeMessage();
        return StreamRequest.create(java.time.Clock.systemUTC(), new StreamAddr(from.publicKey(), 49152),
                new StreamAddr(to, port), msg1).sign(from);
    }

    @Test
    void badStreamRequestsAreRefusedOneByOneAndTheSessionAndOtherLinksGoOn() throws Exception {
        ChatLink a = alice.dial(BOB.publicKey(), Transport.CHAT_PORT).block(Duration.ofSeconds(10));
        ChatLink b = bobLinks.asFlux().blockFirst(Duration.ofSeconds(10));
        Sinks.Many<Envelope> atBob = Sinks.many().replay().all();
        b.inbound().subscribe(atBob::tryEmitNext);
        DmsgStats stats = bobStats();
        long sessions = stats.sessionsEstablished.get();

        byte[] forged = request(CAROL, BOB.publicKey(), 1);
        forged[3] ^= 1; // inside the signature
        assertThat(server.sendRequest(BOB.publicKey(), forged).get(10, java.util.concurrent.TimeUnit.SECONDS))
                .as("a forged request is closed without an answer").isNull();
        assertThat(server.sendRequest(BOB.publicKey(), request(CAROL, ALICE.publicKey(), 1)).get(10, java.util.concurrent.TimeUnit.SECONDS))
                .as("a request for another key").isNull();
        byte[] toPort2 = request(CAROL, BOB.publicKey(), 2);
        byte[] refusal = server.sendRequest(BOB.publicKey(), toPort2).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(refusal).as("a port nobody listens on gets a signed refusal").isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamResponse.verify(refusal, toPort2, BOB.publicKey()))
                .isInstanceOfSatisfying(StreamHandshakeException.class,
                        e -> assertThat(e.code()).isEqualTo(StreamErrorCode.REQ_NO_LISTENER));
        byte[] sealed = server.seal(BOB.publicKey(), request(CAROL, BOB.publicKey(), 1)).get(5, java.util.concurrent.TimeUnit.SECONDS);
        server.sendRaw(BOB.publicKey(), java.util.Arrays.copyOf(sealed, sealed.length / 2)); // truncated, then FIN
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.streamsRejected.get() == 4);

        byte[] good = request(CAROL, BOB.publicKey(), 1);
        byte[] accepted = server.sendRequest(BOB.publicKey(), good).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(StreamResponse.verify(accepted, good, BOB.publicKey()).accepted()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> stats.streamsAccepted.get() == 2);

        MessageId id = MessageId.random();
        a.send(new Envelope.ChatMsg(id, "still here", true, null)).block(Duration.ofSeconds(5));
        StepVerifier.create(atBob.asFlux().take(1))
                .expectNextMatches(e -> e instanceof Envelope.ChatMsg m && m.id().equals(id))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(stats.sessionsEstablished.get()).isEqualTo(sessions);
        assertThat(bob.isUp()).isTrue();
    }

    DmsgStats bobStats() {
        return bob.stats();
    }

    @Test
    void aDiscoveryThatAnswers500OrNonsenseIsAClearErrorAndTheNextCallWorks() {
        DmsgStats stats = alice.stats();
        long errors = stats.discoveryErrors.get();
        discovery.mode(TestDiscovery.Mode.ERROR_500);
        StepVerifier.create(alice.dial(BOB.publicKey(), Transport.CHAT_PORT))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TransportException.class)
                        .hasMessageContaining("answered 500"))
                .verify(Duration.ofSeconds(10));
        discovery.mode(TestDiscovery.Mode.NONSENSE);
        StepVerifier.create(alice.dial(BOB.publicKey(), Transport.CHAT_PORT))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TransportException.class)
                        .hasMessageContaining("malformed"))
                .verify(Duration.ofSeconds(10));
        assertThat(stats.discoveryErrors.get()).isEqualTo(errors + 2);
        discovery.mode(TestDiscovery.Mode.NORMAL);
        assertThat(alice.dial(BOB.publicKey(), Transport.CHAT_PORT).block(Duration.ofSeconds(10)).isOpen()).isTrue();
    }

    @Test
    void aClientStartedWhileDiscoveryFailsRetriesAndComesUpOnceItAnswers() {
        discovery.mode(TestDiscovery.Mode.ERROR_500);
        DmsgTransport carol = client(CAROL);
        try {
            carol.startNow();
            await().atMost(Duration.ofSeconds(10)).until(() -> carol.stats().discoveryErrors.get() >= 3);
            assertThat(carol.isUp()).isFalse();
            assertThat(carol.lastDiscoveryError()).contains("answered 500");
            discovery.mode(TestDiscovery.Mode.NORMAL);
            await().atMost(Duration.ofSeconds(10)).until(() -> carol.isUp() && delegated(CAROL.publicKey()));
        } finally {
            carol.close();
        }
    }

    @Test
    void aSecondSessionForAKeyIsRefusedAndKeepsRetryingUntilTheFirstIsGone() {
        DmsgTransport secondAlice = client(ALICE);
        int opened = server.sessionsOpened.get();
        try {
            secondAlice.startNow();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.refusedDuplicates.get() >= 2);
            // Each refused attempt finishes its handshake before the server closes it, so the newcomer may
            // look up for an instant; what counts is that the server took no second session for the key.
            assertThat(server.sessionsOpened.get()).as("sessions the server took").isEqualTo(opened);
            assertThat(alice.isUp()).as("the session the server holds stays").isTrue();
            alice.close();
            alice = null;
            await().atMost(Duration.ofSeconds(10)).until(secondAlice::isUp);
        } finally {
            secondAlice.close();
        }
    }
}
