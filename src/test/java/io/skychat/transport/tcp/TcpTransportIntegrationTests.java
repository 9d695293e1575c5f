package io.skychat.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.core.Transport;
import io.skychat.core.TransportException;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class TcpTransportIntegrationTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final KeyPair CAROL = KeyPair.fromSecretHex(Keys.CAROL_SK);

    private final ExecutorService crypto = new io.skychat.core.HandOffExecutor("test-crypto", 2, 1024, "the crypto pool");
    private TcpTransport listener;
    private TcpTransport dialer;

    @AfterEach
    void close() {
        if (dialer != null) {
            dialer.close();
        }
        if (listener != null) {
            listener.close();
        }
        crypto.shutdownNow();
    }

    private TcpTransport listen(KeyPair key, Set<io.skychat.core.PeerKey> whitelist) {
        return new TcpTransport(key, TcpSettings.of(new InetSocketAddress("127.0.0.1", 0), List.of(), whitelist),
                crypto, new TcpStats()).startNow();
    }

    private TcpTransport dialerTo(KeyPair key, KeyPair target, int port) {
        return new TcpTransport(key, TcpSettings.of(null,
                List.of(new TcpPeer(target.publicKey(), "127.0.0.1", port)), Set.of()), crypto, new TcpStats());
    }

    @Test
    void envelopesCrossInBothDirectionsOverOneLink() {
        listener = listen(ALICE, Set.of());
        dialer = dialerTo(BOB, ALICE, listener.boundAddress().getPort());
        MessageId id = MessageId.random();
        String big = "x".repeat(60_000); // spans many 4070-byte noise frames

        StepVerifier.create(listener.links().next().flatMapMany(accepted -> {
                    assertThat(accepted.peer()).isEqualTo(BOB.publicKey());
                    return accepted.inbound().take(2);
                }))
                .then(() -> dialer.dial(ALICE.publicKey(), Transport.CHAT_PORT)
                        .flatMap(link -> link.send(new Envelope.ChatMsg(id, "hi", true, null))
                                .then(link.send(new Envelope.PlainText(big))))
                        .block(Duration.ofSeconds(10)))
                .expectNext(new Envelope.ChatMsg(id, "hi", true, null))
                .expectNext(new Envelope.PlainText(big))
                .expectComplete().verify(Duration.ofSeconds(20));
    }

    @Test
    void dialingTheWrongKeyFailsTheHandshake() {
        listener = listen(ALICE, Set.of());
        dialer = dialerTo(BOB, CAROL, listener.boundAddress().getPort()); // thinks CAROL listens there
        StepVerifier.create(dialer.dial(CAROL.publicKey(), Transport.CHAT_PORT))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TransportException.class)
                        .hasMessageContaining("handshake failed"))
                .verify(Duration.ofSeconds(15));
    }

    @Test
    void aKeyOutsideTheWhitelistIsRefused() {
        listener = listen(ALICE, Set.of(CAROL.publicKey()));
        dialer = dialerTo(BOB, ALICE, listener.boundAddress().getPort());
        ChatLink link = dialer.dial(ALICE.publicKey(), Transport.CHAT_PORT).block(Duration.ofSeconds(10));
        StepVerifier.create(link.onClose()).verifyComplete();
        assertThat(listener.stats().rejectedPeers.get()).isEqualTo(1);
    }

    @Test
    void aPeerWithNoKnownAddressIsUnreachable() {
        dialer = new TcpTransport(BOB, TcpSettings.of(null, List.of(), Set.of()), crypto, new TcpStats());
        StepVerifier.create(dialer.dial(ALICE.publicKey(), Transport.CHAT_PORT))
                .expectErrorMessage("cannot reach " + ALICE.publicKey() + " over tcp-direct: no tcp-direct address known"
                        + " (add --tcp-peer tcp://" + ALICE.publicKey() + "@host:port)")
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void handshakesCompletingAtOnceKeepEveryLink() throws Exception {
        listener = listen(ALICE, Set.of());
        int port = listener.boundAddress().getPort();
        int clients = 16;
        java.util.Queue<ChatLink> accepted = new java.util.concurrent.ConcurrentLinkedQueue<>();
        // A consumer that takes a moment per link keeps an emission in progress while others finish.
        reactor.core.Disposable consumer = listener.links().subscribe(link -> {
            long until = System.nanoTime() + 2_000_000;
            while (System.nanoTime() < until) {
                // busy on purpose: an emission stays in progress for 2 ms
            }
            accepted.add(link);
        });
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(clients);
        List<java.util.concurrent.Future<io.skychat.support.RawNoiseClient>> dialled = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                KeyPair key = KeyPair.generate();
                dialled.add(pool.submit(() -> {
                    start.await();
                    return io.skychat.support.RawNoiseClient.handshake(port, key, ALICE.publicKey());
                }));
            }
            List<io.skychat.support.RawNoiseClient> open = new java.util.ArrayList<>();
            for (var f : dialled) {
                open.add(f.get(20, java.util.concurrent.TimeUnit.SECONDS));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == clients);
            assertThat(accepted).allSatisfy(link -> assertThat(link.isOpen()).isTrue());
            for (io.skychat.support.RawNoiseClient c : open) {
                c.close();
            }
        } finally {
            consumer.dispose();
            pool.shutdownNow();
        }
    }
}
