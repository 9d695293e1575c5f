package io.skychat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.skychat.store.PersistenceSettings;
import io.skychat.store.SqliteDatabase;
import io.skychat.store.SqliteMessageStore;
import io.skychat.support.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/**
 * Two chat services on in-memory networks: what the routing and link rules do when links drop, when a
 * network fails and when a peer has more than one link. Real stores (in memory), real outboxes.
 */
class ChatServiceTests {

    private static final Duration T = Duration.ofSeconds(10);
    private static final PeerKey ALICE = PeerKey.parse(Keys.ALICE_PK);
    private static final PeerKey BOB = PeerKey.parse(Keys.BOB_PK);

    private final List<AutoCloseable> closing = new ArrayList<>();

    /** One node: its transports, store and service, and what it received. */
    private final class NodeUnderTest {
        final ChatService chat;
        final ChatCounters counters = new ChatCounters();
        final List<ChatEvent.DirectMessage> received = new CopyOnWriteArrayList<>();
        /** The thread each received message's event was published on. */
        final List<String> receivedOn = new CopyOnWriteArrayList<>();

        NodeUnderTest(PeerKey self, TransportKind defaultNetwork, MemoryTransport... transports) {
            SqliteDatabase db = SqliteDatabase.openNow(null);
            closing.add(db);
            SqliteMessageStore store = new SqliteMessageStore(db, self, new PersistenceSettings(true, null, 4096, 0,
                    500, 1 << 20, Duration.ZERO, Set.of(), 0), Clock.systemUTC());
            PeerLinks links = new PeerLinks(List.of(transports));
            closing.add(links);
            EventHub hub = new EventHub(counters);
            hub.addListener(e -> {
                if (e instanceof ChatEvent.DirectMessage dm && dm.direction() == Direction.IN) {
                    received.add(dm);
                    receivedOn.add(Thread.currentThread().getName());
                }
            });
            chat = new ChatService(self, links, hub, counters, Clock.systemUTC(), defaultNetwork, store, store,
                    Schedulers.parallel(), Outbox.Settings.defaults(), PeerRateLimiter.perSecond(1000, 1000));
            chat.start();
        }

        SendReceipt send(PeerKey to, String text, TransportKind network) {
            return chat.send(new SendCommand(to, text, network, Duration.ofSeconds(5), null)).block(T);
        }

        List<String> texts() {
            return received.stream().map(ChatEvent.DirectMessage::text).toList();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void whatTheStoreAnswersIsFinishedOnTheLinksOwnThreadInOrder() {
        java.util.concurrent.ExecutorService bobsLoop = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "bobs-loop"));
        closing.add(bobsLoop::shutdownNow);
        MemoryTransport.Net net = new MemoryTransport.Net(TransportKind.DMSG);
        NodeUnderTest alice = new NodeUnderTest(ALICE, TransportKind.DMSG, net.join(ALICE));
        NodeUnderTest bob = new NodeUnderTest(BOB, TransportKind.DMSG, net.join(BOB).finishingOn(bobsLoop));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add("m" + i);
        }
        // all at once, each waiting for its ack: the store answers them in batches and bob's loop finishes each
        List<SendReceipt> receipts = reactor.core.publisher.Flux.fromIterable(sent)
                .flatMapSequential(t -> alice.chat.send(new SendCommand(BOB, t, null, Duration.ofSeconds(5), null)))
                .collectList().block(T);
        assertThat(receipts).hasSize(50).allMatch(r -> Boolean.TRUE.equals(r.acked()));
        assertThat(bob.texts()).containsExactlyElementsOf(sent);
        assertThat(bob.receivedOn).hasSize(50).containsOnly("bobs-loop"); // not the store thread
    }

    @Test
    void aDroppedLinkIsRedialledForTheNextMessage() {
        MemoryTransport.Net net = new MemoryTransport.Net(TransportKind.DMSG);
        MemoryTransport a = net.join(ALICE);
        NodeUnderTest alice = new NodeUnderTest(ALICE, TransportKind.DMSG, a);
        NodeUnderTest bob = new NodeUnderTest(BOB, TransportKind.DMSG, net.join(BOB));

        assertThat(alice.send(BOB, "one", null).acked()).isTrue();
        a.openLinks().forEach(MemoryTransport.MemoryLink::close); // the path drops
        assertThat(alice.send(BOB, "two", null).acked()).isTrue();

        assertThat(bob.texts()).containsExactly("one", "two");
        assertThat(a.dials()).isEqualTo(2);
        assertThat(alice.counters.outboundFallbacks.get()).isZero();
    }

    @Test
    void aFailedNetworkFallsBackOnceToTheOther() {
        MemoryTransport.Net skynet = new MemoryTransport.Net(TransportKind.SKYNET);
        MemoryTransport.Net dmsg = new MemoryTransport.Net(TransportKind.DMSG);
        NodeUnderTest alice = new NodeUnderTest(ALICE, TransportKind.SKYNET, skynet.join(ALICE), dmsg.join(ALICE));
        MemoryTransport bobSkynet = skynet.join(BOB);
        NodeUnderTest bob = new NodeUnderTest(BOB, TransportKind.SKYNET, bobSkynet, dmsg.join(BOB));
        bobSkynet.online(false); // skynet cannot reach Bob

        SendReceipt receipt = alice.send(BOB, "over dmsg", TransportKind.SKYNET);

        assertThat(receipt.acked()).isTrue();
        assertThat(alice.counters.outboundFallbacks.get()).isEqualTo(1);
        await().atMost(T).until(() -> bob.received.size() == 1);
        assertThat(bob.received.get(0).network()).isEqualTo(TransportKind.DMSG);
    }

    @Test
    void oneLinkDroppingWhileAnotherIsOpenRestartsNothing() {
        MemoryTransport.Net net = new MemoryTransport.Net(TransportKind.DMSG);
        MemoryTransport a = net.join(ALICE);
        MemoryTransport b = net.join(BOB);
        NodeUnderTest alice = new NodeUnderTest(ALICE, TransportKind.DMSG, a);
        NodeUnderTest bob = new NodeUnderTest(BOB, TransportKind.DMSG, b);
        assertThat(alice.send(BOB, "one", null).acked()).isTrue();
        MemoryTransport.MemoryLink older = a.openLinks().iterator().next();
        b.dial(ALICE, Transport.CHAT_PORT).block(T); // Bob opens a second link; the newest is used from now on
        await().atMost(T).until(() -> a.openLinks().size() == 2);

        older.close();
        SendReceipt two = alice.send(BOB, "two", null);

        assertThat(two.acked()).isTrue();
        assertThat(alice.counters.outboundRetries.get()).isZero();
        assertThat(bob.texts()).containsExactly("one", "two");
        assertThat(a.dials()).isEqualTo(1); // the open link was used, not a new dial
    }

    @Test
    void everyParsedMessageIsAcknowledgedEvenWhenHistoryKeepsNoRow() {
        MemoryTransport.Net net = new MemoryTransport.Net(TransportKind.DMSG);
        NodeUnderTest alice = new NodeUnderTest(ALICE, TransportKind.DMSG, net.join(ALICE));
        NodeUnderTest bob = new NodeUnderTest(BOB, TransportKind.DMSG, net.join(BOB));

        SendReceipt big = alice.send(BOB, "z".repeat(5000), null); // over the 4096-byte history size

        assertThat(big.acked()).isTrue();
        await().atMost(T).until(() -> bob.received.size() == 1);
        assertThat(bob.received.get(0).text()).hasSize(5000);
        assertThat(bob.counters.inboundNotKept.get()).isEqualTo(1);
    }

    @Test
    void aSendWithoutWaitingSaysSentOnlyWhenWrittenAndQueuedOtherwise() {
        MemoryTransport.Net net = new MemoryTransport.Net(TransportKind.DMSG);
        NodeUnderTest alice = new NodeUnderTest(ALICE, TransportKind.DMSG, net.join(ALICE));
        MemoryTransport b = net.join(BOB);
        NodeUnderTest bob = new NodeUnderTest(BOB, TransportKind.DMSG, b);
        assertThat(alice.send(BOB, "hello", null).acked()).isTrue(); // a link is open now

        SendReceipt online = alice.chat.send(new SendCommand(BOB, "written", null, null, null)).block(T);
        assertThat(online.state()).isEqualTo(DeliveryState.SENT);
        await().atMost(T).until(() -> alice.chat.outbox().queued() == 0); // and its ack is back

        b.online(false);
        await().atMost(T).until(() -> b.openLinks().isEmpty());
        SendReceipt offline = alice.chat.send(new SendCommand(BOB, "kept for later", null, null, null)).block(T);
        assertThat(offline.state()).isEqualTo(DeliveryState.QUEUED);
        assertThat(alice.chat.outbox().queued()).isEqualTo(1);

        b.online(true);
        await().atMost(T).until(() -> bob.texts().contains("kept for later"));
    }

    @Test
    void withTcpDirectCutTheNextAutoRoutedMessageGoesOverDmsgAndSaysSo() {
        MemoryTransport.Net tcp = new MemoryTransport.Net(TransportKind.TCP_DIRECT);
        MemoryTransport.Net dmsg = new MemoryTransport.Net(TransportKind.DMSG);
        MemoryTransport aliceTcp = tcp.join(ALICE);
        NodeUnderTest alice = new NodeUnderTest(ALICE, null, aliceTcp, dmsg.join(ALICE)); // null: auto
        MemoryTransport bobTcp = tcp.join(BOB);
        NodeUnderTest bob = new NodeUnderTest(BOB, null, bobTcp, dmsg.join(BOB));
        aliceTcp.dial(BOB, Transport.CHAT_PORT).block(T); // the TCP-direct link is up

        SendReceipt first = alice.send(BOB, "over tcp", null);
        bobTcp.online(false); // the TCP link is cut
        SendReceipt second = alice.send(BOB, "over dmsg", null);

        assertThat(first.network()).isEqualTo(TransportKind.TCP_DIRECT);
        assertThat(second.network()).isEqualTo(TransportKind.DMSG);
        assertThat(second.acked()).isTrue();
        await().atMost(T).until(() -> bob.received.size() == 2);
        assertThat(bob.received).extracting(ChatEvent.DirectMessage::network)
                .containsExactly(TransportKind.TCP_DIRECT, TransportKind.DMSG);
    }

    @Test
    void aQueuedMessageThatWasNotPinnedDrainsOverWhicheverNetworkWorks() {
        MemoryTransport.Net skynet = new MemoryTransport.Net(TransportKind.SKYNET);
        MemoryTransport.Net dmsg = new MemoryTransport.Net(TransportKind.DMSG);
        MemoryTransport aliceSkynet = skynet.join(ALICE);
        NodeUnderTest alice = new NodeUnderTest(ALICE, TransportKind.SKYNET, aliceSkynet, dmsg.join(ALICE));
        MemoryTransport bobSkynet = skynet.join(BOB);
        MemoryTransport bobDmsg = dmsg.join(BOB);
        NodeUnderTest bob = new NodeUnderTest(BOB, TransportKind.SKYNET, bobSkynet, bobDmsg);
        bobSkynet.online(false);
        bobDmsg.online(false);

        SendReceipt queued = alice.chat.send(new SendCommand(BOB, "whenever", null, null, null)).block(T);
        assertThat(queued.state()).isEqualTo(DeliveryState.QUEUED);
        bobDmsg.online(true); // only dmsg comes back: the retry is routed again and falls back to it

        await().atMost(Duration.ofSeconds(20)).until(() -> bob.texts().contains("whenever"));
        assertThat(bob.received.get(0).network()).isEqualTo(TransportKind.DMSG);
        assertThat(alice.chat.router().choose(BOB, null, false)).isEqualTo(TransportKind.DMSG); // remembered
    }
}
