package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static io.skychat.support.Keys.CAROL_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Node;
import io.skychat.support.RawNoiseClient;
import io.skychat.transport.tcp.TcpStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Two services keep chatting, every message acked, while a third party hammers the TCP-direct port. */
class TcpDirectUnderAttackIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MESSAGES = 30;
    private static final int MAX_ATTACKS = 400;

    @Test
    void messagesKeepFlowingWhileTheListenerIsAttacked(@TempDir Path work) throws Exception {
        ExecutorService attackerThread = Executors.newSingleThreadExecutor();
        try (Node alice = Node.start(work.resolve("a"), "--standalone", "--sk", ALICE_SK, "--tcp-listen", "127.0.0.1:0");
             Node bob = Node.start(work.resolve("b"), "--standalone", "--sk", BOB_SK,
                     "--tcp-peer", "tcp://" + ALICE_PK + "@127.0.0.1:" + alice.tcpPort())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> status(bob).path("active_peer_conns").asInt() == 1);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger attacks = new AtomicInteger();
            Future<?> attacker = attackerThread.submit(() -> attack(alice.tcpPort(), stop, attacks));

            for (int i = 0; i < MESSAGES; i++) {
                boolean fromBob = i % 2 == 0;
                JsonNode sent = send(fromBob ? bob : alice, fromBob ? ALICE_PK : BOB_PK, "message " + i);
                assertThat(sent.path("acked").asBoolean()).as("message %d acked", i).isTrue();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> attacks.get() >= 50);
            stop.set(true);
            attacker.get(30, TimeUnit.SECONDS);

            TcpStats stats = alice.bean(TcpStats.class);
            assertThat(stats.handshakeFailures.get()).isPositive();
            assertThat(stats.chatFramesRejected.get()).isPositive();
            assertThat(stats.noiseFramesRejected.get()).isPositive();
            for (Node node : new Node[] {alice, bob}) {
                String health = WebTestClient.bindToServer().baseUrl(node.managementUrl()).build()
                        .get().uri("/actuator/health").exchange().expectStatus().isOk()
                        .expectBody(String.class).returnResult().getResponseBody();
                assertThat(JSON.readTree(health).path("status").asString()).isEqualTo("UP");
            }
            assertThat(status(bob).path("peers").toString()).contains(ALICE_PK);
            assertThat(status(alice).path("inbound_msg_count").asLong()).isEqualTo(MESSAGES / 2);
        } finally {
            attackerThread.shutdownNow();
        }
    }

    /** Random bytes, zero-length handshake messages, and a real key sending zero-length and replayed frames. */
    private static Void attack(int port, AtomicBoolean stop, AtomicInteger attacks) throws Exception {
        Random random = new Random(7);
        KeyPair carol = KeyPair.fromSecretHex(CAROL_SK);
        PeerKey alice = PeerKey.parse(ALICE_PK);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!stop.get() && attacks.get() < MAX_ATTACKS && System.nanoTime() < deadline) {
            try {
                switch (attacks.get() % 4) {
                    case 0 -> {
                        byte[] junk = new byte[1 + random.nextInt(6000)];
                        random.nextBytes(junk);
                        try (RawNoiseClient c = RawNoiseClient.open(port)) {
                            c.write(junk);
                            c.closedByPeer(Duration.ofSeconds(2));
                        }
                    }
                    case 1 -> {
                        try (RawNoiseClient c = RawNoiseClient.open(port)) {
                            c.write(new byte[] {0, 0});
                            c.closedByPeer(Duration.ofSeconds(2));
                        }
                    }
                    case 2 -> {
                        try (RawNoiseClient c = RawNoiseClient.handshake(port, carol, alice)) {
                            c.write(c.seal(new byte[] {0, 0, 0, 0}));
                            c.closedByPeer(Duration.ofSeconds(2));
                        }
                    }
                    default -> {
                        try (RawNoiseClient c = RawNoiseClient.handshake(port, carol, alice)) {
                            byte[] frame = c.sealChat(new Envelope.ChatAck(MessageId.random()));
                            c.write(frame, frame);
                            c.closedByPeer(Duration.ofSeconds(2));
                        }
                    }
                }
            } catch (IOException e) {
                // the listener slamming the door is the point
            }
            attacks.incrementAndGet();
        }
        return null;
    }

    private static JsonNode status(Node node) {
        return JSON.readTree(node.http().get().uri("/status").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    private static JsonNode send(Node from, String to, String text) {
        return JSON.readTree(from.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("recipient", to, "message", text, "wait_ms", 5000))
                .exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }
}
