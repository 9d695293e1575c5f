package io.skychat.api;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every route of the control surface needs {@code Authorization: Bearer <token>}, HTTP Basic with the
 * {@code --password-file} password when one is configured, or the session cookie of a browser signed in at
 * {@code POST /session}. Runs after the Host and Origin checks. The web UI's files and the sign-in route
 * itself are open: they hold nothing secret.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
final class AuthenticationFilter extends ControlSurfaceFilter {

    static final int ORDER = RequestOriginFilter.ORDER + 100;
    /** Longer credentials are refused before any decoding or hashing. */
    static final int MAX_CREDENTIALS = 1024;
    /** The web UI's files: {@code /} serves {@code static/index.html}, the rest lives under {@code /ui/}. */
    static final Set<String> OPEN_FILES = Set.of("/", "/index.html", "/favicon.ico");
    static final String OPEN_PREFIX = "/ui/";
    static final String SESSION_PATH = "/session";

    private static final Logger log = LoggerFactory.getLogger(AuthenticationFilter.class);
    private static final String BEARER = "Bearer ";
    private static final String BASIC = "Basic ";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Credentials credentials;
    private final BrowserSessions sessions;
    private final SignInThrottle throttle;
    private final RequestOriginFilter origins;

    AuthenticationFilter(Credentials credentials, BrowserSessions sessions, SignInThrottle throttle,
                         RequestOriginFilter origins, ApplicationContext context) {
        super(context, ORDER);
        this.credentials = credentials;
        this.sessions = sessions;
        this.throttle = throttle;
        this.origins = origins;
    }

    @Override
    Mono<Void> filterControl(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpCookie cookie = request.getCookies().getFirst(BrowserSessions.COOKIE);
        if (cookie != null && !SAFE.contains(request.getMethod()) && !origins.sameOrigin(exchange)) {
            // SameSite=Strict already keeps the cookie off cross-site requests; this is the second lock.
            return FilterProblems.write(exchange, HttpStatus.FORBIDDEN, "Forbidden", "origin-required",
                    "a request signed in by cookie that changes something must carry this service's own Origin");
        }
        if (!credentials.required() || isOpen(request)) {
            return chain.filter(exchange);
        }
        String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            if (cookie != null) {
                return sessions.valid(cookie.getValue()) ? chain.filter(exchange)
                        : unauthorized(exchange, "the browser session has ended; sign in again");
            }
            return unauthorized(exchange, "this service needs Authorization: Bearer <token> (the token is in the "
                    + ApiTokenFile.DEFAULT_NAME + " file of its work dir)");
        }
        if (header.length() > MAX_CREDENTIALS) {
            return unauthorized(exchange, "credentials are too long");
        }
        String address = clientAddress(exchange);
        Duration wait = throttle.retryAfter(address);
        if (!wait.isZero()) {
            return throttled(exchange, wait);
        }
        if (header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            if (credentials.tokenMatches(header.substring(BEARER.length()))) {
                return chain.filter(exchange);
            }
            throttle.failed(address);
            return unauthorized(exchange, "the bearer token is not this service's token");
        }
        if (credentials.passwordConfigured() && header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            String password = basicPassword(header.substring(BASIC.length()).strip());
            if (password == null) {
                return unauthorized(exchange, "malformed Basic credentials");
            }
            return credentials.passwordMatches(password)
                    .flatMap(ok -> {
                        if (ok) {
                            return chain.filter(exchange);
                        }
                        throttle.failed(address);
                        return unauthorized(exchange, "wrong user name or password");
                    })
                    .onErrorResume(RejectedExecutionException.class, e -> busy(exchange));
        }
        return unauthorized(exchange, "unsupported Authorization scheme");
    }

    private static boolean isOpen(ServerHttpRequest request) {
        String path = request.getPath().pathWithinApplication().value();
        if (path.equals(SESSION_PATH)) {
            return true; // signing in and out; the controller checks the secret
        }
        boolean read = request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD;
        return read && (OPEN_FILES.contains(path) || (path.startsWith(OPEN_PREFIX) && !path.contains("..")));
    }

    /** The peer's IP address: what repeated failures are counted against. */
    static String clientAddress(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    /** The password of {@code base64(user:password)}; the user name is not checked, as upstream's isn't. */
    private static String basicPassword(String encoded) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String pair = new String(decoded, StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon < 0 ? null : pair.substring(colon + 1);
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, String detail) {
        log.debug("401 for {} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), detail);
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"skychat\"");
        // A Basic challenge on a script's request would pop up the browser's own login box over the web UI.
        boolean script = "empty".equals(exchange.getRequest().getHeaders().getFirst("Sec-Fetch-Dest"));
        if (credentials.passwordConfigured() && !script) {
            headers.add(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"skychat\", charset=\"UTF-8\"");
        }
        return FilterProblems.write(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized", "unauthorized", detail);
    }

    static Mono<Void> throttled(ServerWebExchange exchange, Duration wait) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds(wait)));
        return FilterProblems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests",
                "too-many-failures", "too many wrong tokens or passwords from this address; retry in "
                        + seconds(wait) + " s");
    }

    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    private static Mono<Void> busy(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return FilterProblems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", "busy",
                "too many password checks in progress; retry shortly or use the bearer token");
    }
}
