package io.skychat;

import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.group.GroupId;
import io.skychat.group.GroupKind;
import io.skychat.group.Invite;
import io.skychat.group.InviteLinks;
import io.skychat.support.Node;
import io.skychat.transport.dmsg.TestDiscovery;
import io.skychat.transport.dmsg.TestDmsgServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The group routes' own checks, over real HTTP on one whole service with groups running (a dmsg relay on
 * loopback) and one without a relay network: what a client gets back for bad input, before any group exists or
 * any peer is asked.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class GroupRoutesIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String UNKNOWN = UUID.nameUUIDFromBytes("no such group".getBytes(StandardCharsets.UTF_8)).toString();

    @TempDir
    static Path work;
    static TestDiscovery discovery;
    static TestDmsgServer relay;
    static Node node;
    static Node noRelay;

    @BeforeAll
    static void start() {
        discovery = TestDiscovery.start();
        relay = new TestDmsgServer(KeyPair.deterministic("skychat group routes relay".getBytes(StandardCharsets.UTF_8)),
                discovery).start();
        node = Node.start(work.resolve("a"), "--standalone", "--sk", ALICE_SK, "--dmsg", "--dmsg-disc", discovery.url(),
                "--skychat.dmsg.backoff-max=1s");
        noRelay = Node.start(work.resolve("n"), "--standalone", "--sk", ALICE_SK);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {noRelay, node, relay, discovery}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing what is left of a failed start
                }
            }
        }
    }

    /** The problem a request came back with: status, problem+json, and its type and detail. */
    private static JsonNode problem(Node n, String method, String uri, Object body, int status) {
        var spec = n.http().method(org.springframework.http.HttpMethod.valueOf(method)).uri(uri);
        var exchange = body == null ? spec.exchange()
                : body instanceof String s ? spec.contentType(MediaType.APPLICATION_JSON).bodyValue(s).exchange()
                : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        String text = exchange.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(text);
    }

    @Test
    void withoutARelayNetworkEveryGroupRouteAnswers503AndStatusListsNoGroups() {
        for (String[] r : List.of(new String[] {"GET", "/group"}, new String[] {"GET", "/group/" + UNKNOWN},
                new String[] {"GET", "/group/" + UNKNOWN + "/history"}, new String[] {"POST", "/group/" + UNKNOWN + "/leave"},
                new String[] {"DELETE", "/group/" + UNKNOWN})) {
            JsonNode p = problem(noRelay, r[0], r[1], null, 503);
            assertThat(p.path("type").asString()).as(r[1]).isEqualTo("urn:skychat:groups-unavailable");
            assertThat(p.path("detail").asString()).contains("relay network").contains("--dmsg");
        }
        assertThat(problem(noRelay, "POST", "/group", Map.of("name", "x"), 503).path("type").asString())
                .isEqualTo("urn:skychat:groups-unavailable");
        assertThat(problem(noRelay, "POST", "/group/join", Map.of("invite", "skychat:invite:x"), 503)
                .path("type").asString()).isEqualTo("urn:skychat:groups-unavailable");
        JsonNode status = JSON.readTree(noRelay.http().get().uri("/status").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(status.path("groups").isArray()).isTrue();
        assertThat(status.path("groups")).isEmpty();
    }

    @Test
    void aCreateWithBadJsonOrBadFieldsIsRefusedNamingTheField() {
        assertThat(problem(node, "POST", "/group", "{\"name\":", 400).path("type").asString())
                .isEqualTo("urn:skychat:bad-json");
        assertThat(problem(node, "POST", "/group", "[1,2]", 400).path("type").asString())
                .isEqualTo("urn:skychat:bad-json");
        assertThat(problem(node, "POST", "/group", Map.of("kind", "public"), 400).path("detail").asString())
                .contains("name is required");
        assertThat(problem(node, "POST", "/group", Map.of("name", "   "), 400).path("detail").asString())
                .contains("name is required");
        assertThat(problem(node, "POST", "/group", Map.of("name", "g", "kind", "secret"), 400).path("detail").asString())
                .contains("kind must be public, private or channel").contains("secret");
        assertThat(problem(node, "POST", "/group", Map.of("name", "g", "members", List.of(BOB_PK, "zz")), 400)
                .path("detail").asString()).startsWith("members[1]: ");
    }

    @Test
    void aGroupIdThatIsNotAUuidIs400AndAnUnknownOneIs404() {
        assertThat(problem(node, "GET", "/group/not-a-group", null, 400).path("detail").asString())
                .contains("group id must be a UUID").contains("not-a-group");
        problem(node, "POST", "/group/42/send", Map.of("text", "hi"), 400);
        JsonNode missing = problem(node, "GET", "/group/" + UNKNOWN, null, 404);
        assertThat(missing.path("type").asString()).isEqualTo("urn:skychat:group-not-found");
        assertThat(missing.path("detail").asString()).contains(UNKNOWN);
        problem(node, "GET", "/group/" + UNKNOWN + "/invite", null, 404);
        problem(node, "GET", "/group/" + UNKNOWN + "/history", null, 404);
        problem(node, "POST", "/group/" + UNKNOWN + "/send", Map.of("text", "hi"), 404);
        problem(node, "POST", "/group/" + UNKNOWN + "/members/add", Map.of("pk", BOB_PK), 404);
        problem(node, "POST", "/group/" + UNKNOWN + "/leave", null, 404);
        problem(node, "DELETE", "/group/" + UNKNOWN, null, 404);
    }

    @Test
    void perGroupBodiesAndQueriesAreCheckedBeforeTheGroupIsLookedUp() {
        assertThat(problem(node, "POST", "/group/" + UNKNOWN + "/send", Map.of("text", " "), 400).path("detail").asString())
                .contains("{\"text\":");
        problem(node, "POST", "/group/" + UNKNOWN + "/send", "{\"text\":", 400);
        assertThat(problem(node, "POST", "/group/" + UNKNOWN + "/members/add", Map.of("pk", "nothex"), 400)
                .path("detail").asString()).startsWith("pk: ");
        assertThat(problem(node, "POST", "/group/" + UNKNOWN + "/members/remove", null, 400).path("detail").asString())
                .contains("{\"pk\":");
        assertThat(problem(node, "POST", "/group/" + UNKNOWN + "/members/crown", Map.of("pk", BOB_PK), 404)
                .path("detail").asString()).contains("add, remove, promote or demote");
        problem(node, "POST", "/group/" + UNKNOWN + "/requests/maybe", Map.of("pk", BOB_PK), 404);
        assertThat(problem(node, "GET", "/group/" + UNKNOWN + "/history?limit=0", null, 400).path("detail").asString())
                .contains("limit must be 1..1000");
        assertThat(problem(node, "GET", "/group/" + UNKNOWN + "/history?since=yesterday", null, 400)
                .path("detail").asString()).contains("RFC 3339");
    }

    @Test
    void aMalformedOrTruncatedInviteLinkIs400NamingWhatIsWrong() {
        assertThat(problem(node, "POST", "/group/join", Map.of(), 400).path("detail").asString())
                .contains("invite or address is required");
        assertThat(problem(node, "POST", "/group/join", "{\"invite\":", 400).path("type").asString())
                .isEqualTo("urn:skychat:bad-json");
        assertThat(problem(node, "POST", "/group/join", Map.of("invite", "hello there"), 400).path("detail").asString())
                .contains("not an invite link");

        String link = InviteLinks.encode(new Invite(GroupId.random(), "book club", KeyPair.generate().publicKey(), 23456,
                GroupKind.PRIVATE, List.<PeerKey>of(), 18));
        JsonNode truncated = problem(node, "POST", "/group/join", Map.of("invite", link.substring(0, link.length() - 9)), 400);
        assertThat(truncated.path("type").asString()).isEqualTo("urn:skychat:group-bad-invite");
        assertThat(truncated.path("detail").asString()).isNotBlank();
        JsonNode junk = problem(node, "POST", "/group/join", Map.of("invite", InviteLinks.PREFIX + "!!!not base64!!!"), 400);
        assertThat(junk.path("type").asString()).isEqualTo("urn:skychat:group-bad-invite");
        JsonNode notJson = problem(node, "POST", "/group/join", Map.of("invite", InviteLinks.PREFIX
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("[1]".getBytes(StandardCharsets.UTF_8))), 400);
        assertThat(notJson.path("type").asString()).isEqualTo("urn:skychat:group-bad-invite");
        JsonNode badAddress = problem(node, "POST", "/group/join", Map.of("address", "skychat://nothex/" + UNKNOWN), 400);
        assertThat(badAddress.path("type").asString()).isEqualTo("urn:skychat:group-bad-address");
        assertThat(problem(node, "POST", "/group/join", Map.of("invite", link, "note", "x".repeat(281)), 400)
                .path("detail").asString()).contains("280");
        // nothing was recorded by any of it
        assertThat(JSON.readTree(node.http().get().uri("/group?all=1").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody())).isEmpty();
    }

    @Test
    void theRoutesAreInTheApiDescription() {
        JsonNode doc = JSON.readTree(node.http().get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        JsonNode paths = doc.path("paths");
        for (String p : List.of("/group", "/group/join", "/group/{id}", "/group/{id}/invite", "/group/{id}/send",
                "/group/{id}/history", "/group/{id}/leave", "/group/{id}/members/{action}", "/group/{id}/requests",
                "/group/{id}/requests/{decision}")) {
            assertThat(paths.has(p)).as(p).isTrue();
        }
    }
}
