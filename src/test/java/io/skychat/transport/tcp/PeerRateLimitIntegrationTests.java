package io.skychat.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.skychat.core.ChatCounters;
import io.skychat.core.ChatService;
import io.skychat.core.Outbox;
import io.skychat.store.PersistenceSettings;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteMessageStore;
import reactor.core.scheduler.Schedulers;
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

/** A peer that floods chat messages gets its burst through and acked; the rest are dropped, unacked and counted. */
class PeerRateLimitIntegrationTests {

    private final SqliteDatabase db = SqliteDatabase.openNow(null);

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);

    private final ExecutorService crypto = Executors.newFixedThreadPool(2);
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
    void messagesOverThePeerRateAreDroppedUnacked() throws Exception {
        listener = new TcpTransport(ALICE, TcpSettings.of(new InetSocketAddress("127.0.0.1", 0), List.of(), Set.of()),
                crypto, new TcpStats()).startNow();
        links = new PeerLinks(List.of(listener));
        ChatCounters counters = new ChatCounters();
        AtomicLong frozenNanos = new AtomicLong(); // no refill during the test: exactly the burst gets through
        SqliteMessageStore store = new SqliteMessageStore(db, ALICE.publicKey(), new PersistenceSettings(true, null,
                4096, 0, 500, 1 << 20, Duration.ZERO, Set.of(), 0), Clock.systemUTC());
        ChatService chat = new ChatService(ALICE.publicKey(), links, new EventHub(counters), counters,
                Clock.systemUTC(), TransportKind.TCP_DIRECT, store, store, Schedulers.parallel(), Outbox.Settings.defaults(),
                new PeerRateLimiter(1, 3, frozenNanos::get));
        chat.start();

        try (RawNoiseClient bob = RawNoiseClient.handshake(listener.boundAddress().getPort(), BOB, ALICE.publicKey())) {
            for (int i = 0; i < 5; i++) {
                bob.write(bob.sealChat(new Envelope.ChatMsg(MessageId.random(), "flood " + i, true, null)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> counters.inboundMessages.get() + counters.inboundDrops.get() == 5);
            for (int i = 0; i < 3; i++) {
                assertThat(bob.readEnvelope()).isInstanceOf(Envelope.ChatAck.class);
            }
            // the link stays up: a receipt still gets through, since only chat messages are limited
            bob.write(bob.sealChat(new Envelope.ChatAck(MessageId.random())));
        }
        assertThat(counters.inboundMessages.get()).isEqualTo(3);
        assertThat(counters.rateLimitedCount(TransportKind.TCP_DIRECT).get()).isEqualTo(2);
        assertThat(counters.inboundDrops.get()).isEqualTo(2);
    }
}
