package io.skychat;

import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import io.skychat.support.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The control surface as an attacker on this machine, a hostile web page and an honest client see it. */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
class SecurityIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    static Path work;
    static Node node;

    @BeforeAll
    static void start() throws Exception {
        Path passwordFile = work.resolve("password");
        Files.writeString(passwordFile, new BCryptPasswordEncoder(4).encode(PASSWORD) + "\n");
        node = Node.start(work.resolve("node"), "--standalone", "--sk", ALICE_SK,
                "--password-file", passwordFile.toString(),
                "--allowed-host", "chat.example", "--allowed-origin", "https://ui.example");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everyRouteNeedsTheToken() {
        assertUnauthorized(node.anonymousHttp().get().uri("/status").exchange());
        assertUnauthorized(node.anonymousHttp().get().uri("/sse").accept(MediaType.TEXT_EVENT_STREAM).exchange());
        assertUnauthorized(node.anonymousHttp().post().uri("/message").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"recipient\":\"" + BOB_PK + "\",\"message\":\"hi\"}").exchange());
        assertUnauthorized(node.anonymousHttp().get().uri("/events?since=0").exchange());
        assertUnauthorized(node.anonymousHttp().get().uri("/history").exchange());
        assertUnauthorized(node.anonymousHttp().get().uri("/history/peers").exchange());
        assertUnauthorized(node.anonymousHttp().post().uri("/read-receipt").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"pk\":\"" + BOB_PK + "\",\"id\":\"0000000000000001\"}").exchange());
        assertUnauthorized(node.anonymousHttp().get().uri("/v3/api-docs").exchange());
        assertUnauthorized(node.anonymousHttp().get().uri("/no-such-route").exchange());
    }

    @Test
    void theControlSurfaceDescribesItselfBehindTheToken() {
        String body = node.http().get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode doc = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
        assertThat(doc.path("info").path("title").asString()).isEqualTo("skychat control surface");
        for (String path : new String[] {"/message", "/sse", "/status", "/history", "/history/peers", "/events",
                "/read-receipt"}) {
            assertThat(doc.path("paths").has(path)).as(path).isTrue();
        }
        assertThat(doc.path("components").path("securitySchemes").path("token").path("scheme").asString())
                .isEqualTo("bearer");
    }

    @Test
    void aWrongTokenIsRefusedAndTheRightOneAnswered() {
        String wrong = "0".repeat(64);
        assertThat(wrong).isNotEqualTo(node.token());
        assertUnauthorized(node.anonymousHttp().get().uri("/status")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + wrong).exchange());
        assertUnauthorized(node.anonymousHttp().get().uri("/status")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + node.token().substring(1)).exchange());
        node.http().get().uri("/status").exchange().expectStatus().isOk();
    }

    @Test
    void theStreamOpensWithTheToken() {
        StepVerifier.create(node.webClient().get().uri("/sse").retrieve()
                        .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { }).take(1))
                .assertNext(e -> assertThat(e.comment()).isEqualTo("connected"))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void basicAuthWithThePasswordFileWorksAndAWrongPasswordDoesNot() {
        node.anonymousHttp().get().uri("/status").header(HttpHeaders.AUTHORIZATION, basic("anyone", PASSWORD))
                .exchange().expectStatus().isOk();
        WebTestClient.ResponseSpec wrong = node.anonymousHttp().get().uri("/status")
                .header(HttpHeaders.AUTHORIZATION, basic("anyone", PASSWORD + "!")).exchange();
        wrong.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"skychat\"",
                "Basic realm=\"skychat\", charset=\"UTF-8\"");
        assertUnauthorized(wrong);
        // bcrypt only looks at 72 bytes; a longer password is refused, not an error
        assertUnauthorized(node.anonymousHttp().get().uri("/status")
                .header(HttpHeaders.AUTHORIZATION, basic("anyone", "x".repeat(200))).exchange());
    }

    @Test
    void aForeignHostIsMisdirected() {
        JsonNode problem = problem(node.http().get().uri("/status").header(HttpHeaders.HOST, "evil.example").exchange(),
                421, "urn:skychat:host-not-allowed");
        assertThat(problem.path("detail").asString()).contains("evil.example").contains("--allowed-host");
        // checked before credentials, so a rebinding page learns nothing about them
        problem(node.anonymousHttp().get().uri("/status").header(HttpHeaders.HOST, "evil.example:" + node.httpPort())
                .exchange(), 421, "urn:skychat:host-not-allowed");
        for (String host : List.of("localhost", "127.0.0.1", "[::1]", "chat.example", "LOCALHOST:" + node.httpPort())) {
            node.http().get().uri("/status").header(HttpHeaders.HOST, host).exchange().expectStatus().isOk();
        }
    }

    @Test
    void aForeignOriginIsForbiddenAndNoCorsHeaderIsSent() {
        JsonNode problem = problem(node.http().post().uri("/message").header(HttpHeaders.ORIGIN, "http://evil.example")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"recipient\":\"" + BOB_PK + "\",\"message\":\"hi\"}").exchange(),
                403, "urn:skychat:origin-not-allowed");
        assertThat(problem.path("detail").asString()).contains("http://evil.example");
        problem(node.http().get().uri("/status").header(HttpHeaders.ORIGIN, "null").exchange(),
                403, "urn:skychat:origin-not-allowed");
        // the page's own origin and a configured one are fine, and neither gets CORS headers
        for (String origin : List.of(node.baseUrl(), "https://ui.example")) {
            node.http().get().uri("/status").header(HttpHeaders.ORIGIN, origin).exchange()
                    .expectStatus().isOk()
                    .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        }
    }

    @Test
    void aTwoMegabyteBodyIsTooLarge() {
        String body = "{\"recipient\":\"" + BOB_PK + "\",\"message\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        problem(node.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(),
                413, "urn:skychat:body-too-large");
        // the same body without a Content-Length, in chunks
        Flux<DataBuffer> chunks = Flux.range(0, 32).map(i -> body.substring(i * body.length() / 32,
                        (i + 1) * body.length() / 32))
                .map(s -> DefaultDataBufferFactory.sharedInstance.wrap(s.getBytes(StandardCharsets.UTF_8)));
        problem(node.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON)
                .body(chunks, DataBuffer.class).exchange(), 413, "urn:skychat:body-too-large");
        // and a body under the cap is still read
        problem(node.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"recipient\":\"nobody\",\"message\":\"x\"}").exchange(), 400, "urn:skychat:invalid-recipient");
    }

    @Test
    void theTokenFileIsOwnerOnly() throws Exception {
        Path file = work.resolve("node").resolve("api.token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file).strip()).matches("[0-9a-f]{64}").isEqualTo(node.token());
    }

    @Test
    void actuatorNeedsNoTokenOnItsOwnLoopbackPort() {
        WebTestClient management = WebTestClient.bindToServer().baseUrl(node.managementUrl()).build();
        management.get().uri("/actuator/health").exchange().expectStatus().isOk();
        management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        management.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
    }

    @Test
    void aTokenFileOthersCanReadStopsTheStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("api.token");
        Files.writeString(file, "ab".repeat(32));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> Node.start(dir, "--standalone", "--sk", ALICE_SK))
                .rootCause()
                .hasMessage("api token file " + file + " is accessible to group or others (mode rw-r--r--); "
                        + "run: chmod 600 " + file);
    }

    @Test
    void noAuthLetsRequestsThroughButStillChecksTheHost(@TempDir Path dir) {
        try (Node open = Node.start(dir, "--standalone", "--sk", ALICE_SK, "--no-auth")) {
            open.anonymousHttp().get().uri("/status").exchange().expectStatus().isOk();
            problem(open.anonymousHttp().get().uri("/status").header(HttpHeaders.HOST, "evil.example").exchange(),
                    421, "urn:skychat:host-not-allowed");
            assertThat(dir.resolve("api.token")).doesNotExist();
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void assertUnauthorized(WebTestClient.ResponseSpec response) {
        response.expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, v -> assertThat(v).startsWith("Bearer"));
        problem(response, 401, "urn:skychat:unauthorized");
    }

    private static JsonNode problem(WebTestClient.ResponseSpec response, int status, String type) {
        String body = response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.path("type").asString()).isEqualTo(type);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        return problem;
    }
}
