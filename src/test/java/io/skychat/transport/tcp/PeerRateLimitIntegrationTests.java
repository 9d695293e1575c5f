package io.skychat.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import io.skychat.core.ChatCounters;
import io.skychat.core.ChatService;
import io.skychat.core.Outbox;
import io.skychat.store.PersistenceSettings;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteMessageStore;
import java.util.concurrent.TimeUnit;

import reactor.test.scheduler.VirtualTimeScheduler;
import io.skychat.core.Envelope;
import io.skychat.core.EventHub;
import io.skychat.core.MessageId;
import io.skychat.core.PeerLinks;
import io.skychat.core.PeerRateLimiter;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Keys;
import io.skychat.support.RawNoiseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A peer that floods chat messages gets its burst through at once; the rest are paced, in order, none lost. */
class PeerRateLimitIntegrationTests {

    private final SqliteDatabase db = SqliteDatabase.openNow(null);
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);

    private final ExecutorService crypto = new io.skychat.core.HandOffExecutor("test-crypto", 2, 1024, "the crypto pool");
    private TcpTransport listener;
    private PeerLinks links;

    @AfterEach
    void close() {
        if (links != null) {
            links.close();
        }
        if (listener != null) {
            listener.close();
        }
        crypto.shutdownNow();
        db.close();
    }

    @Test
    void messagesOverThePeerRateArePacedNeitherDroppedNorReordered() throws Exception {
        listener = new TcpTransport(ALICE, TcpSettings.of(new InetSocketAddress("127.0.0.1", 0), List.of(), Set.of()),
                crypto, new TcpStats()).startNow();
        links = new PeerLinks(List.of(listener));
        ChatCounters counters = new ChatCounters();
        // The limiter's clock and the pacing delays both run on virtual time, so the test decides when time passes.
        SqliteMessageStore store = new SqliteMessageStore(db, ALICE.publicKey(), new PersistenceSettings(true, null,
                4096, 0, 500, 1 << 20, Duration.ZERO, Set.of(), 0), Clock.systemUTC());
        ChatService chat = new ChatService(ALICE.publicKey(), links, new EventHub(counters), counters,
                Clock.systemUTC(), TransportKind.TCP_DIRECT, store, store, time, Outbox.Settings.defaults(),
                new PeerRateLimiter(1, 3, () -> time.now(TimeUnit.NANOSECONDS)));
        chat.start();

        try (RawNoiseClient bob = RawNoiseClient.handshake(listener.boundAddress().getPort(), BOB, ALICE.publicKey())) {
            List<MessageId> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                MessageId id = MessageId.random();
                ids.add(id);
                bob.write(bob.sealChat(new Envelope.ChatMsg(id, "flood " + i, true, null)));
            }
            for (int i = 0; i < 3; i++) { // the burst goes straight through
                assertThat(bob.readEnvelope()).isEqualTo(new Envelope.ChatAck(ids.get(i)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> counters.rateLimitedCount(TransportKind.TCP_DIRECT).get() == 1);
            assertThat(counters.inboundMessages.get()).isEqualTo(3); // the fourth waits for its token
            time.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(bob.readEnvelope()).isEqualTo(new Envelope.ChatAck(ids.get(3)));
            await().atMost(Duration.ofSeconds(5)).until(() -> counters.rateLimitedCount(TransportKind.TCP_DIRECT).get() == 2);
            time.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(bob.readEnvelope()).isEqualTo(new Envelope.ChatAck(ids.get(4)));
            // receipts are never held back, and the link stayed up throughout
            bob.write(bob.sealChat(new Envelope.ChatAck(MessageId.random())));
        }
        assertThat(counters.inboundMessages.get()).isEqualTo(5);
        assertThat(counters.inboundDrops.get()).isZero();
        assertThat(store.history(BOB.publicKey(), 10).block(Duration.ofSeconds(5)))
                .extracting(m -> m.text()).containsExactly("flood 0", "flood 1", "flood 2", "flood 3", "flood 4");
    }
}
