package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.skychat.core.ChatLink;
import io.skychat.core.PeerKey;
import io.skychat.core.PeerLinks;
import io.skychat.core.TransportKind;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Node;
import io.skychat.transport.dmsg.TestDiscovery;
import io.skychat.transport.dmsg.TestDmsgServer;
import io.skychat.transport.tcp.TcpTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two whole nodes that have both TCP-direct and dmsg: while the TCP link is up, {@code auto} takes it; once it
 * is cut (the listener stopped and the link closed), the next {@code auto} message goes over dmsg, and both the
 * sender's answer and the receiver's {@code /sse} say so. The per-network {@code /status} section and health
 * components follow.
 */
class TcpToDmsgFailoverIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final KeyPair SERVER = KeyPair.deterministic("skychat failover dmsg server".getBytes(StandardCharsets.UTF_8));
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    void whenTheTcpLinkIsCutAutoGoesOverDmsgAndTheReceiverSeesDmsg() {
        try (TestDiscovery discovery = TestDiscovery.start();
             TestDmsgServer relay = new TestDmsgServer(SERVER, discovery).start();
             Node alice = Node.start(work.resolve("a"), "--standalone", "--sk", ALICE_SK, "--dmsg",
                     "--dmsg-disc", discovery.url(), "--skychat.dmsg.backoff-max=1s", "--tcp-listen", "127.0.0.1:0");
             Node bob = Node.start(work.resolve("b"), "--standalone", "--sk", BOB_SK, "--dmsg",
                     "--dmsg-disc", discovery.url(), "--skychat.dmsg.backoff-max=1s",
                     "--tcp-peer", "tcp://" + ALICE_PK + "@127.0.0.1:" + alice.tcpPort())) {
            PeerKey alicePk = PeerKey.parse(ALICE_PK);
            PeerKey bobPk = PeerKey.parse(BOB_PK);
            PeerLinks bobLinks = bob.bean(PeerLinks.class);
            await().atMost(WAIT).until(() -> bobLinks.openLink(TransportKind.TCP_DIRECT, alicePk) != null
                    && relay.hasSession(alicePk) && relay.hasSession(bobPk)
                    && registered(discovery, alicePk) && registered(discovery, bobPk));

            JsonNode overTcp = send(bob, "while tcp is up");
            assertThat(overTcp.path("acked").asBoolean()).isTrue();
            assertThat(overTcp.path("network").asString()).isEqualTo("tcp-direct");

            JsonNode status = status(bob);
            assertThat(network(status, "tcp-direct").path("links").asLong()).isEqualTo(1);
            assertThat(network(status, "dmsg").path("up").asBoolean()).isTrue();
            assertThat(network(status, "dmsg").path("streams").asBoolean()).isTrue();
            assertThat(network(status, "tcp-direct").path("streams").asBoolean()).isFalse();

            // cut TCP: alice stops listening and drops the link, so bob cannot dial it back
            alice.bean(TcpTransport.class).close();
            ChatLink tcp = alice.bean(PeerLinks.class).openLink(TransportKind.TCP_DIRECT, bobPk);
            if (tcp != null) {
                tcp.close();
            }
            await().atMost(WAIT).until(() -> bobLinks.openLink(TransportKind.TCP_DIRECT, alicePk) == null);

            Flux<ServerSentEvent<String>> events = alice.webClient().get().uri("/sse").retrieve()
                    .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { }).cache();
            events.subscribe();
            JsonNode overDmsg = send(bob, "after the cut");
            assertThat(overDmsg.path("acked").asBoolean()).isTrue();
            assertThat(overDmsg.path("network").asString()).isEqualTo("dmsg");
            String id = overDmsg.path("id").asString();
            ServerSentEvent<String> event = events.filter(e -> id.equals(e.id())).blockFirst(WAIT);
            assertThat(event).isNotNull();
            JsonNode data = JSON.readTree(event.data());
            assertThat(data.path("network").asString()).isEqualTo("dmsg");
            assertThat(data.path("message").asString()).isEqualTo("after the cut");

            JsonNode after = status(bob);
            assertThat(network(after, "tcp-direct").path("links").asLong()).isZero();
            assertThat(network(after, "dmsg").path("links").asLong()).isEqualTo(1);
            JsonNode health = health(bob);
            assertThat(health.path("dmsg").path("details").path("network").asString()).isEqualTo("dmsg");
            assertThat(health.path("dmsg").path("details").path("links").asLong()).isEqualTo(1);
            assertThat(health.path("tcpDirect").path("details").path("network").asString()).isEqualTo("tcp-direct");
        }
    }

    private static boolean registered(TestDiscovery discovery, PeerKey pk) {
        return discovery.entry(pk).map(e -> e.client() != null
                && e.client().delegatedServers().contains(SERVER.publicKey())).orElse(false);
    }

    private static JsonNode send(Node from, String text) {
        Map<String, Object> body = Map.of("recipient", ALICE_PK, "message", text, "network", "auto", "wait_ms", 10000);
        String response = from.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(response);
    }

    private static JsonNode status(Node node) {
        return JSON.readTree(node.http().get().uri("/status").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static JsonNode network(JsonNode status, String label) {
        for (JsonNode n : status.path("networks")) {
            if (label.equals(n.path("network").asString())) {
                return n;
            }
        }
        throw new AssertionError("no network " + label + " in " + status.path("networks"));
    }

    private static JsonNode health(Node node) {
        String body = org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
                .baseUrl(node.managementUrl()).build()
                .get().uri("/actuator/health").exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body).path("components");
    }
}
