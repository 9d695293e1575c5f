package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Node;
import io.skychat.support.RawNoiseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A sender that behaves as upstream's does: one acked chat-msg after another, header and payload in two
 * noise frames, never retrying. Every message must be acknowledged and shown, whatever history keeps.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class BurstIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MESSAGES = 2_000;

    @TempDir
    Path work;
    private Node alice;

    @AfterEach
    void stop() {
        if (alice != null) {
            alice.close();
        }
    }

    @Test
    void aBurstOfAckedMessagesIsAcknowledgedWholeAndHistoryKeepsWhatItsRulesAllow() throws Exception {
        // Default --persist-* limits (20/min with a burst of 500, 500 rows per peer); link pacing raised so
        // the test measures acknowledgement, not the pacing of an abusive peer.
        alice = Node.start(work, "--standalone", "--sk", ALICE_SK, "--tcp-listen", "127.0.0.1:0",
                "--skychat.limits.peer-rate.per-second=100000", "--skychat.limits.peer-rate.burst=100000");
        List<String> ids = new ArrayList<>();
        long started = System.nanoTime();
        try (RawNoiseClient bob = RawNoiseClient.handshake(alice.tcpPort(), KeyPair.fromSecretHex(BOB_SK),
                PeerKey.parse(ALICE_PK))) {
            for (int i = 0; i < MESSAGES; i++) {
                MessageId id = MessageId.random();
                ids.add(id.value());
                bob.write(bob.sealChatAsUpstream(new Envelope.ChatMsg(id, "burst " + i, true, null)));
                assertThat(bob.readEnvelope()).as("ack for message %d", i).isEqualTo(new Envelope.ChatAck(id));
            }
        }

        List<JsonNode> events = alice.webClient().get().uri("/events?since=0&channel=dm")
                .accept(MediaType.APPLICATION_NDJSON).retrieve().bodyToFlux(String.class)
                .take(MESSAGES).map(JSON::readTree).collectList().block(Duration.ofSeconds(20));
        assertThat(events).extracting(e -> e.path("id").asString()).containsExactlyElementsOf(ids);
        assertThat(events).allSatisfy(e -> assertThat(e.path("from").asString()).isEqualTo(BOB_PK));

        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds() + 1;

        // 20/min with a burst of 500: the first 500 are kept, plus one for every 3 s the burst took; the
        // 500-row cap per peer then keeps the newest 500 of those, in order.
        JsonNode history = get("/history?peer=" + BOB_PK + "&limit=1000");
        assertThat(history.size()).isEqualTo(500);
        List<String> kept = new ArrayList<>();
        history.forEach(row -> kept.add(row.path("id").asString()));
        assertThat(ids).containsSubsequence(kept);
        JsonNode status = get("/status");
        assertThat(status.path("inbound_msg_count").asLong()).isEqualTo(MESSAGES);
        long refilled = seconds / 3 + 1;
        assertThat(status.path("inbound_not_kept_count").asLong())
                .isBetween(MESSAGES - 500 - refilled, (long) MESSAGES - 500);
    }

    private JsonNode get(String uri) {
        return JSON.readTree(alice.http().get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }
}
