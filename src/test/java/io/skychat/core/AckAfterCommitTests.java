package io.skychat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.skychat.store.PersistenceSettings;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteMessageStore;
import io.skychat.support.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/**
 * Bob's chat-ack means "on disk": with Bob's store failing its commits (a real SQLite file whose commit the
 * test makes throw), no ack leaves Bob and Alice keeps the messages queued; once the disk works again her
 * courier's resends are stored, acknowledged and delivered once each, in order.
 */
class AckAfterCommitTests {

    private static final Duration T = Duration.ofSeconds(20);
    private static final PeerKey ALICE = PeerKey.parse(Keys.ALICE_PK);
    private static final PeerKey BOB = PeerKey.parse(Keys.BOB_PK);

    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final AtomicBoolean bobsDiskFails = new AtomicBoolean();
    private final AtomicInteger failedCommits = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private Connection failingWhenAsked(Connection real) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit") && bobsDiskFails.get()) {
                        failedCommits.incrementAndGet();
                        throw new SQLException("disk I/O error (test)");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private SqliteMessageStore bobStore;

    private ChatService node(PeerKey self, MemoryTransport transport, SqliteDatabase db, EventHub hub) {
        closing.add(db);
        SqliteMessageStore store = new SqliteMessageStore(db, self, new PersistenceSettings(true, null, 4096, 0,
                500, 1 << 20, Duration.ZERO, Set.of(), 0), Clock.systemUTC());
        PeerLinks links = new PeerLinks(List.of(transport));
        closing.add(links);
        ChatService chat = new ChatService(self, links, hub, new ChatCounters(), Clock.systemUTC(), TransportKind.DMSG,
                store, store, Schedulers.parallel(), new Outbox.Settings(Duration.ofHours(1), 32, Duration.ofMillis(300)),
                PeerRateLimiter.perSecond(1000, 1000));
        chat.start();
        if (self.equals(BOB)) {
            bobStore = store;
        }
        return chat;
    }

    @Test
    void noAckLeavesBeforeTheCommitAndAFailedCommitSendsNone() {
        MemoryTransport.Net net = new MemoryTransport.Net(TransportKind.DMSG);
        MemoryTransport a = net.join(ALICE);
        MemoryTransport b = net.join(BOB);
        List<Envelope> bobWrote = new CopyOnWriteArrayList<>();
        b.dropWrites(e -> {
            bobWrote.add(e);
            return false;
        });
        ChatService alice = node(ALICE, a, SqliteDatabase.openNow(dir.resolve("a.db")), new EventHub(new ChatCounters()));
        EventHub bobHub = new EventHub(new ChatCounters());
        List<String> bobReceived = new CopyOnWriteArrayList<>();
        bobHub.addListener(e -> {
            if (e instanceof ChatEvent.DirectMessage dm && dm.direction() == Direction.IN) {
                bobReceived.add(dm.text());
            }
        });
        SqliteDatabase bobDb = SqliteDatabase.openNow(dir.resolve("b.db"), this::failingWhenAsked);
        node(BOB, b, bobDb, bobHub);

        bobsDiskFails.set(true);
        for (String text : List.of("one", "two", "three")) {
            alice.send(new SendCommand(BOB, text, null, null, null)).block(T);
        }
        await().atMost(T).until(() -> failedCommits.get() >= 1);
        // A read queued behind the failed batch: by the time it answers, that batch's waiters have all heard
        // back, and any ack they were going to write has been written.
        bobStore.peers().block(T);
        assertThat(bobWrote).noneMatch(e -> e instanceof Envelope.ChatAck);
        assertThat(bobReceived).isEmpty();
        assertThat(alice.outbox().queued()).isEqualTo(3);

        bobsDiskFails.set(false);
        await().atMost(T).until(() -> alice.outbox().queued() == 0);
        assertThat(bobReceived).containsExactly("one", "two", "three");
        assertThat(bobWrote).filteredOn(e -> e instanceof Envelope.ChatAck).isNotEmpty();
    }
}
