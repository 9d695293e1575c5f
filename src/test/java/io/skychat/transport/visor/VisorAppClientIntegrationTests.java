package io.skychat.transport.visor;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.CAROL_PK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.core.TransportException;
import io.skychat.support.visor.TestVisor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The app-server client and the transports over it, against the test visor on loopback. */
class VisorAppClientIntegrationTests {

    static final PeerKey ALICE = PeerKey.parse(ALICE_PK);
    static final PeerKey BOB = PeerKey.parse(BOB_PK);
    static final Duration WAIT = Duration.ofSeconds(10);

    TestVisor visor;
    ProcKey aliceKey;
    ProcKey bobKey;

    @BeforeEach
    void startVisor() {
        visor = new TestVisor().start();
        aliceKey = visor.register(ALICE);
        bobKey = visor.register(BOB);
    }

    @AfterEach
    void stopVisor() {
        visor.close();
    }

    AppRpcClient connect(ProcKey key, Duration deadline) {
        return AppRpcClient.connect(VisorSettings.parseAddress(visor.appServerAddress(), "test"), key.hex(),
                Hello.of(key), Duration.ofSeconds(5), deadline).block(WAIT);
    }

    VisorSession session(PeerKey pk, ProcKey key) {
        ProcConfig config = ProcConfig.parse(visor.procConfig(key, "/tmp"));
        return new VisorSession(new VisorSettings(VisorSettings.parseAddress(visor.appServerAddress(), "test"), pk,
                config, null, List.of(AppAddr.SKYNET, AppAddr.DMSG), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMillis(100), Duration.ofMillis(500)), new VisorStats());
    }

    @Test
    void aBlockedAcceptDoesNotHoldUpOtherCallsAndRepliesMatchTheirCalls() {
        AppRpcClient bob = connect(bobKey, Duration.ofSeconds(5));
        AppRpcClient alice = connect(aliceKey, Duration.ofSeconds(5));
        int listener = bob.call(AppCall.LISTEN, new AppAddr(AppAddr.SKYNET, BOB, 1)).block(WAIT);
        Mono<AcceptResp> accept = bob.call(AppCall.ACCEPT, listener, null).cache();
        accept.subscribe();
        // While Accept blocks on the visor, later calls on the same connection are answered first.
        bob.call(AppCall.SET_APP_PORT, 1).block(WAIT);
        bob.call(AppCall.SET_DETAILED_STATUS, "Running").block(WAIT);
        assertThat(visor.proc(bobKey).statuses()).containsExactly("Running");

        DialResp dialled = alice.call(AppCall.DIAL, new AppAddr(AppAddr.SKYNET, BOB, 1)).block(WAIT);
        AcceptResp accepted = accept.block(WAIT);
        assertThat(accepted.remote().pubKey()).isEqualTo(ALICE);

        Mono<ReadResp> read = bob.call(AppCall.READ, new ReadReq(accepted.connId(), 32768), null).cache();
        read.subscribe();
        WriteResp written = alice.call(AppCall.WRITE, new WriteReq(dialled.connId(), "hi".getBytes(StandardCharsets.UTF_8)))
                .block(WAIT);
        assertThat(written.n()).isEqualTo(2);
        assertThat(new String(read.block(WAIT).data(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void aRefusalIsTheVisorsTextAndTheConnectionStaysUp() {
        AppRpcClient alice = connect(aliceKey, Duration.ofSeconds(5));
        StepVerifier.create(alice.call(AppCall.DIAL, new AppAddr(AppAddr.SKYNET, PeerKey.parse(CAROL_PK), 1)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(AppRpcException.class)
                        .hasMessageContaining("Dial refused by the visor: no route to " + CAROL_PK)
                        .matches(x -> ((AppRpcException) x).visorAnswered()))
                .verify(WAIT);
        assertThat(alice.call(AppCall.SET_APP_PORT, 1).block(WAIT)).isEqualTo(Empty.INSTANCE);
    }

    @Test
    void everyCallHasADeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AppRpcClient client = AppRpcClient.connect(new InetSocketAddress("127.0.0.1", silent.getLocalPort()),
                    aliceKey.hex(), Hello.of(aliceKey), Duration.ofSeconds(5), Duration.ofMillis(300)).block(WAIT);
            StepVerifier.create(client.call(AppCall.SET_APP_PORT, 1))
                    .expectErrorSatisfies(e -> assertThat(e).hasMessage("SetAppPort: no answer from the visor within 300 ms"))
                    .verify(WAIT);
        }
    }

    @Test
    void aDroppedConnectionFailsEveryPendingCall() {
        AppRpcClient bob = connect(bobKey, Duration.ofSeconds(5));
        int listener = bob.call(AppCall.LISTEN, new AppAddr(AppAddr.DMSG, BOB, 1)).block(WAIT);
        Mono<AcceptResp> accept = bob.call(AppCall.ACCEPT, listener, null);
        StepVerifier.create(accept)
                .then(visor::stop)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(AppRpcException.class)
                        .hasMessageStartingWith("Accept: connection to the visor lost"))
                .verify(WAIT);
        assertThat(bob.isOpen()).isFalse();
    }

    @Test
    void aReplyToACallNeverMadeDropsTheConnection() {
        AppRpcClient bob = connect(bobKey, Duration.ofSeconds(5));
        bob.call(AppCall.SET_APP_PORT, 1).block(WAIT);
        visor.sendUnknownSeq(BOB);
        await().atMost(WAIT).until(() -> !bob.isOpen());
        assertThat(bob.reason()).isEqualTo("reply to call 987654321, which was never made");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
        "garbage,              07ff1337004242 42,    gob:",
        "a type never defined, 03ffc800,             gob: type id 100 was never defined on this stream",
        "a truncated header,   03ff8001,             gob: input ends inside",
    })
    void unreadableRepliesDropTheConnectionAndFailWhatWaits(String what, String hex, String reason) {
        AppRpcClient bob = connect(bobKey, Duration.ofSeconds(5));
        bob.call(AppCall.SET_APP_PORT, 1).block(WAIT); // the visor has now defined its Response type (id 64)
        int listener = bob.call(AppCall.LISTEN, new AppAddr(AppAddr.SKYNET, BOB, 1)).block(WAIT);
        StepVerifier.create(bob.call(AppCall.ACCEPT, listener, null))
                .then(() -> visor.sendRaw(BOB, java.util.HexFormat.of().parseHex(hex.replace(" ", ""))))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageStartingWith("Accept: connection to the visor lost "
                        + "(unreadable bytes from the visor: " + reason))
                .verify(WAIT);
        assertThat(bob.isOpen()).isFalse();
    }

    @Test
    void theHelloComesFirstAndIsUpstreamsBytes() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AppRpcClient client = AppRpcClient.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()),
                    aliceKey.hex(), Hello.of(aliceKey), Duration.ofSeconds(5), Duration.ofSeconds(5)).block(WAIT);
            client.call(AppCall.SET_APP_PORT, 1).subscribe(null, e -> { });
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                byte[] hello = in.readNBytes(2 + 47);
                assertThat(hello).isEqualTo(Hello.of(aliceKey).encode());
                byte[] next = in.readNBytes(4);
                assertThat(next[1]).as("then the gob stream starts with the Request type definition").isEqualTo((byte) 0x7f);
            }
        }
    }

    @Test
    void chatFramesCrossTheVisorWhateverTheChunking() {
        VisorSession a = session(ALICE, aliceKey);
        VisorSession b = session(BOB, bobKey);
        SkynetTransport skynetA = new SkynetTransport(a, new AppNetStats());
        SkynetTransport skynetB = new SkynetTransport(b, new AppNetStats());
        List<ChatLink> bLinks = new CopyOnWriteArrayList<>();
        skynetB.links().subscribe(bLinks::add);
        List<Envelope> received = new CopyOnWriteArrayList<>();
        try {
            skynetA.start();
            skynetB.start();
            a.start();
            b.start();
            await().atMost(WAIT).until(() -> skynetA.isUp() && skynetB.isUp());
            assertThat(visor.proc(bobKey).statuses()).containsExactly("Running");
            assertThat(visor.proc(bobKey).appPort()).isEqualTo(1);
            assertThat(visor.proc(bobKey).calls()).containsSubsequence("Hello", "Listen", "Listen", "SetAppPort",
                    "SetDetailedStatus");

            ChatLink link = skynetA.dial(BOB, 1).block(WAIT);
            await().atMost(WAIT).until(() -> !bLinks.isEmpty());
            bLinks.get(0).inbound().subscribe(received::add);
            MessageId id = MessageId.random();
            link.send(new Envelope.ChatMsg(id, "x".repeat(70_000 / 2), true, null)).block(WAIT);
            link.send(new Envelope.PlainText("short")).block(WAIT);
            await().atMost(WAIT).until(() -> received.size() == 2);
            assertThat(received.get(0)).isEqualTo(new Envelope.ChatMsg(id, "x".repeat(35_000), true, null));
            assertThat(received.get(1)).isEqualTo(new Envelope.PlainText("short"));
            assertThat(bLinks.get(0).peer()).isEqualTo(ALICE);

            link.close();
            StepVerifier.create(bLinks.get(0).onClose()).verifyComplete();
            StepVerifier.create(link.send(new Envelope.PlainText("late")))
                    .expectError(TransportException.class).verify(WAIT);
        } finally {
            a.close();
            b.close();
        }
        assertThat(visor.proc(bobKey).statuses()).containsExactly("Running", "Stopped");
    }

    @Test
    void aStartUpTheVisorRefusesIsReportedWithSetErrorAndTriedAgain() {
        AppRpcClient squatter = connect(bobKey, Duration.ofSeconds(5));
        squatter.call(AppCall.LISTEN, new AppAddr(AppAddr.SKYNET, BOB, 1)).block(WAIT);
        VisorSession b = session(BOB, bobKey);
        try {
            b.start();
            await().atMost(WAIT).until(() -> !visor.proc(bobKey).errors().isEmpty());
            assertThat(visor.proc(bobKey).errors().get(0)).isEqualTo("Listen refused by the visor: port already bound");
            assertThat(b.isAttached()).isFalse();
            squatter.close(); // the port is free again: the next attempt attaches
            await().atMost(WAIT).until(b::isAttached);
            assertThat(b.stats().attachFailures.get()).isPositive();
        } finally {
            b.close();
        }
    }
}
