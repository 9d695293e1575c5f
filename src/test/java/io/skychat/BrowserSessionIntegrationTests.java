package io.skychat;

import static io.skychat.support.Keys.ALICE_SK;
import static io.skychat.support.Keys.BOB_PK;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.skychat.support.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Browser sign-in over real HTTP: the cookie it sets, what the cookie opens, the Origin it must come with
 * when it changes something, signing out, and what repeated wrong secrets earn. The throttle test runs
 * last: it locks this client's address out for a minute.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.skychat.support.ThreadDumpOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserSessionIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path work;
    static Node node;

    private static final String PASSWORD = "correct horse battery staple";

    @BeforeAll
    static void start() throws Exception {
        Path passwordFile = work.resolve("password");
        java.nio.file.Files.writeString(passwordFile,
                new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4).encode(PASSWORD) + "\n");
        node = Node.start(work.resolve("node"), "--standalone", "--sk", ALICE_SK,
                "--password-file", passwordFile.toString());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private String own() {
        return node.baseUrl();
    }

    private ResponseCookie signIn() {
        ResponseCookie cookie = node.anonymousHttp().post().uri("/session").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", node.token())).exchange()
                .expectStatus().isNoContent()
                .returnResult(Void.class).getResponseCookies().getFirst("skychat_session");
        assertThat(cookie).as("the session cookie").isNotNull();
        return cookie;
    }

    private WebTestClient.ResponseSpec sendWithCookie(String cookie, String origin) {
        WebTestClient.RequestBodySpec post = node.anonymousHttp().post().uri("/message")
                .cookie("skychat_session", cookie).contentType(MediaType.APPLICATION_JSON);
        if (origin != null) {
            post.header(HttpHeaders.ORIGIN, origin);
        }
        return post.bodyValue(Map.of("recipient", BOB_PK, "message", "hi", "network", "dmsg")).exchange();
    }

    private static JsonNode problem(WebTestClient.ResponseSpec response, int status, String type) {
        String body = response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode p = JSON.readTree(body);
        assertThat(p.path("type").asString()).isEqualTo(type);
        return p;
    }

    @Test
    @Order(1)
    void signingInSetsAnHttpOnlyStrictCookieThatOpensTheApi() {
        ResponseCookie cookie = signIn();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getPath()).isEqualTo("/");
        assertThat(cookie.isSecure()).as("plain HTTP on loopback").isFalse();
        assertThat(cookie.getValue()).doesNotContain(node.token()).hasSizeGreaterThanOrEqualTo(40);

        String status = node.anonymousHttp().get().uri("/status").cookie("skychat_session", cookie.getValue())
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(JSON.readTree(status).path("visor_pk").asString()).hasSize(66);
    }

    @Test
    @Order(2)
    void aPlainFormSignsInAndIsSentOnToTheUi() {
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("token", node.token());
        node.anonymousHttp().post().uri("/session").header(HttpHeaders.ORIGIN, own())
                .body(BodyInserters.fromFormData(form)).exchange()
                .expectStatus().isSeeOther()
                .expectHeader().location("/")
                .expectCookie().httpOnly("skychat_session", true);
    }

    @Test
    @Order(3)
    void thePasswordSignsInTooAndABrowsersRequestGetsNoBasicChallenge() {
        node.anonymousHttp().post().uri("/session").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", PASSWORD, "password", PASSWORD)).exchange()
                .expectStatus().isNoContent()
                .expectCookie().exists("skychat_session");
        // The browser's own login box must not pop up over the UI when a script's session has ended.
        node.anonymousHttp().get().uri("/status").header("Sec-Fetch-Dest", "empty").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"skychat\"");
        node.anonymousHttp().get().uri("/status").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().values(HttpHeaders.WWW_AUTHENTICATE, v -> assertThat(v).hasSize(2));
    }

    @Test
    @Order(3)
    void aCookieRequestThatChangesSomethingNeedsOurOwnOrigin() {
        String cookie = signIn().getValue();
        problem(sendWithCookie(cookie, "http://evil.example"), 403, "urn:skychat:origin-not-allowed");
        problem(sendWithCookie(cookie, null), 403, "urn:skychat:origin-required");
        // Past both filters, the controller answers: this node has no dmsg to send on.
        problem(sendWithCookie(cookie, own()), 400, "urn:skychat:network-unavailable");
        // A bearer client is no browser: it needs no Origin.
        problem(node.http().post().uri("/message").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("recipient", BOB_PK, "message", "hi", "network", "dmsg"))
                .exchange(), 400, "urn:skychat:network-unavailable");
    }

    @Test
    @Order(4)
    void theUiFilesAreOpenAndComeWithAStrictContentSecurityPolicy() {
        String page = node.anonymousHttp().get().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Content-Security-Policy",
                        "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("<script type=\"module\" src=\"/ui/app.js\">").doesNotContain("http://", "https://");
        node.anonymousHttp().get().uri("/ui/app.js").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/javascript");
        problem(node.anonymousHttp().get().uri("/ui/../status").exchange(), 401, "urn:skychat:unauthorized");
        problem(node.anonymousHttp().get().uri("/history").exchange(), 401, "urn:skychat:unauthorized");
    }

    @Test
    @Order(5)
    void signingOutEndsTheSession() {
        String cookie = signIn().getValue();
        node.anonymousHttp().delete().uri("/session").cookie("skychat_session", cookie)
                .header(HttpHeaders.ORIGIN, own()).exchange()
                .expectStatus().isNoContent()
                .expectCookie().maxAge("skychat_session", java.time.Duration.ZERO);
        JsonNode p = problem(node.anonymousHttp().get().uri("/status").cookie("skychat_session", cookie).exchange(),
                401, "urn:skychat:unauthorized");
        assertThat(p.path("detail").asString()).contains("sign in again");
        problem(node.anonymousHttp().get().uri("/status").cookie("skychat_session", "made-up").exchange(),
                401, "urn:skychat:unauthorized");
    }

    @Test
    @Order(6)
    void aWrongTokenIsRefusedWithAProblemAndSetsNoCookie() {
        WebTestClient.ResponseSpec refused = node.anonymousHttp().post().uri("/session")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("token", "not-the-token")).exchange();
        refused.expectHeader().doesNotExist(HttpHeaders.SET_COOKIE);
        JsonNode p = problem(refused, 401, "urn:skychat:unauthorized");
        assertThat(p.path("detail").asString()).contains("neither this service's API token nor its password");
        problem(node.anonymousHttp().post().uri("/session").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of()).exchange(), 400, "urn:skychat:bad-request");
    }

    @Test
    @Order(7)
    void repeatedWrongSecretsLockTheAddressOutEvenForTheRightOne() {
        for (int i = 0; i < 10; i++) {
            node.anonymousHttp().post().uri("/session").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("token", "guess-" + i)).exchange()
                    .expectStatus().value(s -> assertThat(s).isIn(401, 429));
        }
        WebTestClient.ResponseSpec locked = node.anonymousHttp().post().uri("/session")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("token", node.token())).exchange();
        locked.expectHeader().exists(HttpHeaders.RETRY_AFTER);
        problem(locked, 429, "urn:skychat:too-many-failures");
        problem(node.anonymousHttp().get().uri("/status")
                .header(HttpHeaders.AUTHORIZATION, "Bearer wrong").exchange(), 429, "urn:skychat:too-many-failures");
    }
}
