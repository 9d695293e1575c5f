package io.skychat;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static io.skychat.support.Keys.BOB_SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.skychat.core.ByteStream;
import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.group.GroupId;
import io.skychat.group.GroupPorts;
import io.skychat.group.JoinRequest;
import io.skychat.support.Node;
import io.skychat.support.RelayNet;
import io.skychat.transport.dmsg.DmsgTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Joining by the short address {@code skychat://<owner>/<group-id>}: whole services over a dmsg relay and
 * discovery on loopback, the owner answering the describe probe on port 8060, driven through the HTTP routes; and
 * raw frames written to the probe port by a node of our own.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class GroupAddressJoinIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final PeerKey ALICE = PeerKey.parse(ALICE_PK);
    private static final KeyPair DAVE = KeyPair.deterministic("skychat address dave".getBytes(StandardCharsets.UTF_8));
    /** Never on the network. */
    private static final KeyPair NOBODY = KeyPair.deterministic("skychat address nobody".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path work;

    private RelayNet net;

    @BeforeEach
    void network() {
        net = RelayNet.start("skychat address relay");
    }

    @AfterEach
    void closeAll() throws Exception {
        net.close();
    }

    private Node node(String dir, String sk) {
        List<String> flags = new ArrayList<>(RelayNet.QUICK_GROUPS);
        flags.addAll(List.of("--group-pow-bits", "8", "--skychat.group.join-timeout=5s",
                "--skychat.group.pending-retry=300ms"));
        return net.node(work.resolve(dir), sk, flags);
    }

    /** A node without groups: it only lends its own key and dmsg client to frames written by hand. */
    private Node plain(String dir, String sk) {
        return net.node(work.resolve(dir), sk, List.of("--no-groups"));
    }

    private static JsonNode get(Node n, String uri) {
        return JSON.readTree(n.http().get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static JsonNode post(Node n, String uri, Object body) {
        return JSON.readTree(n.http().post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    /** The problem a request came back with: status, problem+json, and its type and detail. */
    private static JsonNode problem(Node n, String uri, Object body, int status) {
        return JSON.readTree(n.http().post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(status).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static List<String> history(Node n, String id) {
        List<String> out = new ArrayList<>();
        get(n, "/group/" + id + "/history?limit=1000").forEach(m -> out.add(m.path("text").asString()));
        return out;
    }

    private static List<String> groupIds(Node n) {
        List<String> out = new ArrayList<>();
        get(n, "/group?all=1").forEach(g -> out.add(g.path("id").asString()));
        return out;
    }

    private static String status(Node n, String id) {
        for (JsonNode g : get(n, "/group?all=1")) {
            if (g.path("id").asString().equals(id)) {
                return g.path("status").asString();
            }
        }
        return "none";
    }

    @Test
    void aPublicGroupIsJoinedByItsAddressAndAnUnknownOrUnreachableAddressSaysWhich() {
        Node a = node("a", ALICE_SK);
        Node b = node("b", BOB_SK);
        JsonNode created = post(a, "/group", Map.of("name", "town square", "kind", "public", "members", List.of()));
        String id = created.path("info").path("id").asString();
        String address = get(a, "/group/" + id + "/invite").path("address").asString();
        assertThat(address).isEqualTo("skychat://" + ALICE_PK + "/" + id);

        // the owner's probe listener comes up with its node; the address alone is enough to join
        JsonNode joined = await().atMost(WAIT).ignoreExceptions().until(() -> post(b, "/group/join",
                Map.of("invite", address)), Objects::nonNull);
        assertThat(joined.path("join_status").asString()).isEqualTo("admitted");
        assertThat(joined.path("id").asString()).isEqualTo(id);
        assertThat(joined.path("name").asString()).isEqualTo("town square");
        assertThat(joined.path("kind").asString()).isEqualTo("public");
        assertThat(joined.path("port").asInt()).isEqualTo(created.path("info").path("port").asInt());
        await().atMost(WAIT).until(() -> status(b, id).equals("active"));

        post(b, "/group/" + id + "/send", Map.of("text", "found you by address"));
        post(a, "/group/" + id + "/send", Map.of("text", "welcome"));
        for (Node n : List.of(a, b)) {
            await().atMost(WAIT).until(() -> history(n, id).containsAll(List.of("found you by address", "welcome")));
        }
        // asking again is answered from what the node holds
        assertThat(post(b, "/group/join", Map.of("address", address)).path("join_reason").asString())
                .isEqualTo("already a member");

        // a group id the owner does not host: 404, naming the id and the host
        String unknown = GroupId.random().value();
        JsonNode notThere = problem(b, "/group/join", Map.of("address", "skychat://" + ALICE_PK + "/" + unknown), 404);
        assertThat(notThere.path("type").asString()).isEqualTo("urn:skychat:group-not-found");
        assertThat(notThere.path("detail").asString()).contains(unknown).contains(ALICE_PK).contains("does not host");

        // a node hosting no group answers the same: Alice asks Bob
        JsonNode notAdmin = problem(a, "/group/join", Map.of("address", "skychat://" + BOB_PK + "/" + GroupId.random().value()),
                404);
        assertThat(notAdmin.path("type").asString()).isEqualTo("urn:skychat:group-not-found");

        // a host nobody can reach: 502
        JsonNode away = problem(b, "/group/join",
                Map.of("address", "skychat://" + NOBODY.publicKey().hex() + "/" + unknown), 502);
        assertThat(away.path("type").asString()).isEqualTo("urn:skychat:group-unreachable");
        assertThat(away.path("detail").asString()).contains(NOBODY.publicKey().hex()).contains("unreachable");

        // a person's address, or one's own group, is no group to join
        assertThat(problem(b, "/group/join", Map.of("address", "skychat://" + ALICE_PK), 400).path("detail").asString())
                .contains("names a person");
        assertThat(problem(a, "/group/join", Map.of("address", address), 409).path("detail").asString())
                .contains("hosts group " + id);

        // none of the failed joins left anything behind
        assertThat(groupIds(b)).containsExactly(id);
        assertThat(groupIds(a)).containsExactly(id);
    }

    @Test
    void aPrivateGroupJoinedByItsAddressWaitsForApprovalThenReadsWithTheKey() {
        Node a = node("a", ALICE_SK);
        Node b = node("b", BOB_SK);
        JsonNode created = post(a, "/group", Map.of("name", "book club", "kind", "private", "members", List.of()));
        String id = created.path("info").path("id").asString();
        String address = "skychat://" + ALICE_PK + "/" + id;

        JsonNode asked = await().atMost(WAIT).ignoreExceptions().until(() -> post(b, "/group/join",
                Map.of("address", address, "note", "by address")), Objects::nonNull);
        assertThat(asked.path("join_status").asString()).isEqualTo("pending");
        await().atMost(WAIT).until(() -> get(a, "/group/" + id + "/requests").size() == 1);
        JsonNode request = get(a, "/group/" + id + "/requests").get(0);
        assertThat(request.path("pk").asString()).isEqualTo(BOB_PK);
        assertThat(request.path("note").asString()).isEqualTo("by address");
        post(a, "/group/" + id + "/requests/approve", Map.of("pk", BOB_PK));
        await().atMost(WAIT).until(() -> status(b, id).equals("active"));

        post(a, "/group/" + id + "/send", Map.of("text", "sealed for members"));
        await().atMost(WAIT).until(() -> history(b, id).contains("sealed for members"));
        post(b, "/group/" + id + "/send", Map.of("text", "read it"));
        await().atMost(WAIT).until(() -> history(a, id).contains("read it"));
    }

    @Test
    void theProbePortDescribesOnlyAndDropsGarbageAndOversizedFramesHarmlessly() {
        Node a = node("a", ALICE_SK);
        Node d = plain("d", DAVE.secretHex());
        JsonNode created = post(a, "/group", Map.of("name", "book club", "kind", "private", "members", List.of()));
        String id = created.path("info").path("id").asString();
        int port = created.path("info").path("port").asInt();
        GroupId gid = GroupId.parse(id);
        DmsgTransport dmsg = d.bean(DmsgTransport.class);

        JsonNode info = single(await().atMost(WAIT).ignoreExceptions().until(() -> exchange(dmsg,
                frame(JoinRequest.describe(gid, DAVE.publicKey(), Instant.now()).toJson())), r -> r.size() == 1));
        assertThat(info.path("status").asString()).isEqualTo("info");
        assertThat(info.path("group_id").asString()).isEqualTo(id);
        assertThat(info.path("name").asString()).isEqualTo("book club");
        assertThat(info.path("group_kind").asString()).isEqualTo("private");
        assertThat(info.path("policy").asString()).isEqualTo("approval");
        assertThat(info.path("port").asInt()).isEqualTo(port);
        assertThat(info.path("pow_bits").asInt()).isEqualTo(8);
        assertThat(info.has("members") || info.has("admins") || info.has("aes_key")).isFalse();

        // a real join on the probe port is refused and queues nothing
        JsonNode join = single(exchange(dmsg, frame(JoinRequest.solved(gid, DAVE.publicKey(), "let me in", 8,
                Instant.now()).toJson())));
        assertThat(join.path("status").asString()).isEqualTo("unavailable");
        assertThat(join.path("reason").asString()).contains("describes only");
        assertThat(get(a, "/group/" + id + "/requests")).isEmpty();

        JsonNode unknown = single(exchange(dmsg, frame(JoinRequest.describe(GroupId.random(), DAVE.publicKey(),
                Instant.now()).toJson())));
        assertThat(unknown.path("status").asString()).isEqualTo("unavailable");
        assertThat(unknown.has("name") || unknown.has("port")).isFalse();

        // asking in somebody else's name, garbage, and a frame longer than 64 KiB: closed without a word
        assertThat(exchange(dmsg, frame(JoinRequest.describe(gid, ALICE, Instant.now()).toJson()))).isEmpty();
        assertThat(exchange(dmsg, frame("{\"kind\":\"join_request\",\"group_id\":".getBytes(StandardCharsets.UTF_8))))
                .isEmpty();
        assertThat(exchange(dmsg, "not a frame at all, just bytes".getBytes(StandardCharsets.UTF_8))).isEmpty();
        byte[] huge = ByteBuffer.allocate(4 + 1024).putInt(64 * 1024 + 1).array();
        assertThat(exchange(dmsg, huge)).isEmpty();

        // and nothing changed: the group is as it was, and the port still answers
        JsonNode after = get(a, "/group/" + id);
        assertThat(after.path("members_count").asInt()).isEqualTo(1);
        assertThat(after.path("status").asString()).isEqualTo("active");
        assertThat(get(a, "/group/" + id + "/requests")).isEmpty();
        assertThat(single(exchange(dmsg, frame(JoinRequest.describe(gid, DAVE.publicKey(), Instant.now()).toJson())))
                .path("status").asString()).isEqualTo("info");
    }

    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static JsonNode single(List<JsonNode> answers) {
        assertThat(answers).hasSize(1);
        return answers.get(0);
    }

    /** Writes {@code bytes} to Alice's probe port and reads every frame she sends until she closes the stream. */
    private static List<JsonNode> exchange(DmsgTransport dmsg, byte[] bytes) {
        ByteStream stream = await().atMost(WAIT).ignoreExceptions()
                .until(() -> dmsg.dialStream(ALICE, GroupPorts.PROBE).block(WAIT), Objects::nonNull);
        try {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            // the end of the answer is the host closing the stream, which may also read as a broken one
            stream.write(bytes).thenMany(stream.inbound()).doOnNext(got::writeBytes).then()
                    .onErrorResume(e -> reactor.core.publisher.Mono.empty()).block(WAIT);
            byte[] all = got.toByteArray();
            List<JsonNode> out = new ArrayList<>();
            int at = 0;
            while (all.length - at >= 4) {
                int len = ByteBuffer.wrap(all, at, 4).getInt();
                out.add(JSON.readTree(Arrays.copyOfRange(all, at + 4, at + 4 + len)));
                at += 4 + len;
            }
            assertThat(at).as("bytes after the last whole frame").isEqualTo(all.length);
            return out;
        } finally {
            stream.close();
        }
    }
}
