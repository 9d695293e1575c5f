package io.skychat.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;

import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Keys;
import io.skychat.support.RawNoiseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * A live TCP-direct listener against a hand-driven Noise XK initiator that misbehaves on purpose. Each bad
 * input must close only its own connection and move one counter; the listener keeps serving.
 */
class TcpHostileInputIntegrationTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final KeyPair CAROL = KeyPair.fromSecretHex(Keys.CAROL_SK);
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);

    private final ExecutorService crypto = new io.skychat.core.HandOffExecutor("test-crypto", 2, 1024, "the crypto pool");
    private final TcpStats stats = new TcpStats();
    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private final List<RawNoiseClient> clients = new ArrayList<>();
    private TcpTransport listener;
    private Disposable subscription;

    @AfterEach
    void close() throws Exception {
        for (RawNoiseClient c : clients) {
            c.close();
        }
        if (subscription != null) {
            subscription.dispose();
        }
        if (listener != null) {
            listener.close();
        }
        crypto.shutdownNow();
    }

    private void listen(Set<PeerKey> whitelist, Duration handshakeTimeout, int maxConnections, int maxHalfOpenPerIp) {
        listener = new TcpTransport(ALICE, new TcpSettings(new InetSocketAddress("127.0.0.1", 0), List.of(), whitelist,
                Duration.ofSeconds(5), handshakeTimeout, Duration.ofSeconds(1), Duration.ofSeconds(5),
                maxConnections, maxHalfOpenPerIp), crypto, stats).startNow();
        // What a chat service would do: read every accepted link until it ends.
        subscription = listener.links().flatMap(ChatLink::inbound).onErrorContinue((e, o) -> { })
                .subscribe(received::add, e -> { });
    }

    private void listen() {
        listen(Set.of(), Duration.ofSeconds(10), 1024, 32);
    }

    private int port() {
        return listener.boundAddress().getPort();
    }

    private RawNoiseClient bob() throws Exception {
        RawNoiseClient c = RawNoiseClient.handshake(port(), BOB, ALICE.publicKey());
        clients.add(c);
        return c;
    }

    private static Envelope.ChatMsg msg(String text) {
        return new Envelope.ChatMsg(MessageId.random(), text, false, null);
    }

    @Test
    void aReplayedNoiseFrameClosesTheLink() throws Exception {
        listen();
        RawNoiseClient bob = bob();
        byte[] frame = bob.sealChat(msg("once"));
        bob.write(frame);
        await().atMost(CLOSE_WITHIN).until(() -> received.size() == 1);
        bob.write(frame);
        assertThat(bob.closedByPeer(CLOSE_WITHIN)).isTrue();
        assertThat(stats.noiseFramesRejected.get()).isEqualTo(1);
        assertThat(received).hasSize(1);
    }

    @Test
    void nothingAfterAnOutOfOrderNonceIsRead() throws Exception {
        listen();
        RawNoiseClient bob = bob();
        Envelope.ChatMsg first = msg("first");
        byte[] one = bob.sealChat(first);
        byte[] two = bob.sealChat(msg("second"));
        byte[] three = bob.sealChat(msg("third"));
        // nonce 1, then 1 again, then a valid 3, all in one write: only the first may get through
        bob.write(one, one.clone(), three);
        assertThat(bob.closedByPeer(CLOSE_WITHIN)).isTrue();
        assertThat(received).containsExactly(first);
        assertThat(stats.noiseFramesRejected.get()).isEqualTo(1);
        assertThat(two).isNotEmpty();
    }

    @Test
    void aLowerNonceAfterAHigherOneIsRejected() throws Exception {
        listen();
        RawNoiseClient bob = bob();
        byte[] one = bob.sealChat(msg("one"));
        Envelope.ChatMsg later = msg("two");
        byte[] two = bob.sealChat(later);
        bob.write(two); // a gap is fine
        await().atMost(CLOSE_WITHIN).until(() -> received.size() == 1);
        bob.write(one);
        assertThat(bob.closedByPeer(CLOSE_WITHIN)).isTrue();
        assertThat(received).containsExactly(later);
        assertThat(stats.noiseFramesRejected.get()).isEqualTo(1);
    }

    @Test
    void anAlteredNoiseFrameIsRejected() throws Exception {
        listen();
        RawNoiseClient bob = bob();
        byte[] frame = bob.sealChat(msg("tampered"));
        frame[frame.length - 1] ^= 1;
        bob.write(frame);
        assertThat(bob.closedByPeer(CLOSE_WITHIN)).isTrue();
        assertThat(received).isEmpty();
        assertThat(stats.noiseFramesRejected.get()).isEqualTo(1);
    }

    @Test
    void aZeroLengthChatFrameInsideAValidNoiseFrameClosesTheLink() throws Exception {
        listen();
        RawNoiseClient bob = bob();
        bob.write(bob.seal(new byte[] {0, 0, 0, 0}));
        assertThat(bob.closedByPeer(CLOSE_WITHIN)).isTrue();
        assertThat(stats.chatFramesRejected.get()).isEqualTo(1);
        assertThat(received).isEmpty();
    }

    @Test
    void anOversizedChatLengthIsRefusedBeforeAnyPayloadIsBuffered() throws Exception {
        listen();
        for (byte[] header : List.of(new byte[] {0, 1, 0, 1}, new byte[] {-1, -1, -1, -1})) {
            RawNoiseClient bob = bob();
            bob.write(bob.seal(new byte[] {header[0], header[1], header[2], header[3], 'h', 'i'}));
            assertThat(bob.closedByPeer(CLOSE_WITHIN)).isTrue();
        }
        assertThat(stats.chatFramesRejected.get()).isEqualTo(2);
        assertThat(received).isEmpty();
    }

    @Test
    void anOversizedNoiseLengthAfterTheHandshakeClosesTheLink() throws Exception {
        listen();
        RawNoiseClient bob = bob();
        bob.write(bob.sealChat(msg("handshake done"))); // so the junk below meets the cipher, not the handshake
        await().atMost(CLOSE_WITHIN).until(() -> received.size() == 1);
        byte[] junk = new byte[5000];
        junk[0] = (byte) 0xff;
        junk[1] = (byte) 0xff;
        bob.write(junk);
        assertThat(bob.closedByPeer(CLOSE_WITHIN)).isTrue();
        assertThat(stats.noiseFramesRejected.get()).isEqualTo(1);
    }

    @Test
    void aTruncatedHandshakeTimesOut() throws Exception {
        listen(Set.of(), Duration.ofMillis(500), 1024, 32);
        RawNoiseClient half = RawNoiseClient.open(port());
        clients.add(half);
        half.write(new byte[] {0, 49, 2, 3, 4, 5}); // announces 49 bytes, sends 4
        assertThat(half.closedByPeer(CLOSE_WITHIN)).isTrue();
        assertThat(stats.handshakeFailures.get()).isEqualTo(1);
    }

    @Test
    void randomBytesAndZeroLengthMessagesBeforeTheHandshakeAreCountedAndTheListenerCarriesOn() throws Exception {
        listen();
        Random random = new Random(20240611);
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[1 + random.nextInt(i % 2 == 0 ? 64 : 6000)];
            random.nextBytes(bytes);
            if (i % 5 == 0) {
                bytes = new byte[] {0, 0}; // a zero-length handshake message
            }
            RawNoiseClient attacker = RawNoiseClient.open(port());
            clients.add(attacker);
            attacker.write(bytes);
            if (bytes.length >= 2 && ((bytes[0] & 0xff) << 8 | (bytes[1] & 0xff)) <= bytes.length - 2
                    || bytes.length > 4096) {
                assertThat(attacker.closedByPeer(CLOSE_WITHIN)).as("attempt %d", i).isTrue();
            }
        }
        RawNoiseClient bob = bob();
        Envelope.ChatMsg hello = msg("still listening");
        bob.write(bob.sealChat(hello));
        await().atMost(CLOSE_WITHIN).until(() -> received.contains(hello));
        assertThat(stats.handshakeFailures.get()).isPositive();
    }

    @Test
    void aKeyOutsideTheWhitelistIsClosedAfterItsHandshake() throws Exception {
        listen(Set.of(CAROL.publicKey()), Duration.ofSeconds(10), 1024, 32);
        RawNoiseClient bob = bob();
        bob.write(bob.sealChat(msg("let me in")));
        assertThat(bob.closedByPeer(CLOSE_WITHIN)).isTrue();
        assertThat(stats.rejectedPeers.get()).isEqualTo(1);
        assertThat(received).isEmpty();
    }

    @Test
    void halfOpenConnectionsFromOneAddressAreCapped() throws Exception {
        listen(Set.of(), Duration.ofSeconds(30), 1024, 4);
        List<RawNoiseClient> silent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RawNoiseClient c = RawNoiseClient.open(port());
            clients.add(c);
            silent.add(c);
        }
        await().atMost(CLOSE_WITHIN).until(() -> stats.refusedHalfOpen.get() == 6);
        int closed = 0;
        for (RawNoiseClient c : silent) {
            closed += c.closedByPeer(Duration.ofMillis(200)) ? 1 : 0;
        }
        assertThat(closed).isEqualTo(6);

        // finished handshakes do not count against the cap, and closing the silent ones frees their places
        for (RawNoiseClient c : silent) {
            c.close();
        }
        await().atMost(CLOSE_WITHIN).until(() -> {
            long refused = stats.refusedHalfOpen.get();
            try (RawNoiseClient probe = RawNoiseClient.open(port())) {
                return !probe.closedByPeer(Duration.ofMillis(100)) && stats.refusedHalfOpen.get() == refused;
            }
        });
        for (int i = 0; i < 6; i++) {
            bob();
        }
        assertThat(stats.refusedHalfOpen.get()).isEqualTo(6);
    }

    @Test
    void theConnectionCapRefusesTheExcess() throws Exception {
        listen(Set.of(), Duration.ofSeconds(30), 3, 32);
        for (int i = 0; i < 5; i++) {
            clients.add(RawNoiseClient.open(port()));
        }
        await().atMost(CLOSE_WITHIN).until(() -> stats.refusedOverCap.get() == 2);
        assertThat(stats.accepted.get()).isEqualTo(3);
    }
}
