package io.skychat.api;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

import io.skychat.api.dto.SignInRequest;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Browser sign-in: {@code POST /session} with the API token or password sets an HttpOnly, SameSite=Strict
 * session cookie ({@code Secure} over TLS); {@code DELETE /session} ends it. The secret travels only in the
 * request body, never in a URL.
 */
@RestController
class SessionController {

    private final Credentials credentials;
    private final BrowserSessions sessions;
    private final SignInThrottle throttle;

    SessionController(Credentials credentials, BrowserSessions sessions, SignInThrottle throttle) {
        this.credentials = credentials;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    @PostMapping(path = AuthenticationFilter.SESSION_PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> signIn(@RequestBody(required = false) SignInRequest request,
                                        ServerWebExchange exchange) {
        return signIn(request, exchange, false);
    }

    /** A plain HTML form: on success the browser is sent on to the UI. */
    @PostMapping(path = AuthenticationFilter.SESSION_PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Mono<ResponseEntity<Object>> signInForm(ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form ->
                signIn(new SignInRequest(form.getFirst("token"), form.getFirst("password")), exchange, true));
    }

    @DeleteMapping(AuthenticationFilter.SESSION_PATH)
    ResponseEntity<Void> signOut(ServerWebExchange exchange) {
        HttpCookie cookie = exchange.getRequest().getCookies().getFirst(BrowserSessions.COOKIE);
        if (cookie != null) {
            sessions.close(cookie.getValue());
        }
        return ResponseEntity.noContent()
                .header(HttpHeaders.SET_COOKIE, cookie(exchange, "", Duration.ZERO).toString()).build();
    }

    private Mono<ResponseEntity<Object>> signIn(SignInRequest request, ServerWebExchange exchange, boolean form) {
        String token = request == null ? null : blankToNull(request.token());
        String password = request == null ? null : blankToNull(request.password());
        if (token == null && password == null) {
            return Mono.just(problem(HttpStatus.BAD_REQUEST, "bad-request",
                    "give the API token as \"token\" (or the password as \"password\")"));
        }
        if (!credentials.required()) {
            return Mono.just(ResponseEntity.noContent().build()); // --no-auth: nothing to sign in to
        }
        if ((token != null && token.length() > AuthenticationFilter.MAX_CREDENTIALS)
                || (password != null && password.length() > AuthenticationFilter.MAX_CREDENTIALS)) {
            return Mono.just(problem(HttpStatus.UNAUTHORIZED, "unauthorized", "credentials are too long"));
        }
        String address = AuthenticationFilter.clientAddress(exchange);
        Duration wait = throttle.retryAfter(address);
        if (!wait.isZero()) {
            long seconds = AuthenticationFilter.seconds(wait);
            return Mono.just(ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(ProblemResponses.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-failures",
                            "too many wrong tokens or passwords from this address; retry in " + seconds + " s")));
        }
        // A form with one field sends whatever was typed as the token; it may be the password.
        Mono<Boolean> ok = credentials.tokenMatches(token) ? Mono.just(true)
                : credentials.passwordMatches(password != null ? password : token);
        return ok.map(matched -> {
            if (!matched) {
                throttle.failed(address);
                return problem(HttpStatus.UNAUTHORIZED, "unauthorized", credentials.passwordConfigured()
                        ? "that is neither this service's API token nor its password"
                        : "that is not this service's API token (it is in the " + ApiTokenFile.DEFAULT_NAME
                                + " file of its work dir)");
            }
            throttle.succeeded(address);
            String cookie = cookie(exchange, sessions.open(), sessions.lifetime()).toString();
            ResponseEntity.BodyBuilder answer = form
                    ? ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/"))
                    : ResponseEntity.status(HttpStatus.NO_CONTENT);
            return answer.header(HttpHeaders.SET_COOKIE, cookie).header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .<Object>build();
        }).onErrorResume(RejectedExecutionException.class, e -> Mono.just(
                ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, "busy",
                                "too many password checks in progress; retry shortly"))));
    }

    private static ResponseCookie cookie(ServerWebExchange exchange, String value, Duration maxAge) {
        boolean tls = exchange.getRequest().getSslInfo() != null
                || "https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme());
        return ResponseCookie.from(BrowserSessions.COOKIE, value).httpOnly(true).sameSite("Strict").path("/")
                .secure(tls).maxAge(maxAge).build();
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String type, String detail) {
        ProblemDetail p = ProblemResponses.problem(status, type, detail);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
