package io.skychat.transport.dmsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

    ExecutorService crypto = Executors.newFixedThreadPool(2);
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
}
