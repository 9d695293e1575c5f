package io.skychat.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every route of the control surface needs {@code Authorization: Bearer <token>}, or HTTP Basic with the
 * {@code --password-file} password when one is configured. Runs after the Host and Origin checks.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
final class AuthenticationFilter extends ControlSurfaceFilter implements AutoCloseable {

    static final int ORDER = RequestOriginFilter.ORDER + 100;
    /** Longer credentials are refused before any decoding or hashing. */
    static final int MAX_CREDENTIALS = 1024;
    /** bcrypt is slow on purpose: a few checks at a time, a short queue, and the rest are told to retry. */
    static final int PASSWORD_CHECK_THREADS = 2;
    static final int PASSWORD_CHECK_QUEUE = 32;

    private static final Logger log = LoggerFactory.getLogger(AuthenticationFilter.class);
    private static final String BEARER = "Bearer ";
    private static final String BASIC = "Basic ";

    private final byte[] token;
    private final String passwordHash;
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
    private final Scheduler passwordChecks;

    AuthenticationFilter(AccessSettings settings, ApplicationContext context) {
        super(context, ORDER);
        this.token = settings.token() == null ? null : settings.token().getBytes(StandardCharsets.UTF_8);
        this.passwordHash = settings.token() == null ? null : settings.passwordHash();
        this.passwordChecks = passwordHash == null ? null
                : Schedulers.newBoundedElastic(PASSWORD_CHECK_THREADS, PASSWORD_CHECK_QUEUE, "skychat-password-check");
    }

    @Override
    Mono<Void> filterControl(ServerWebExchange exchange, WebFilterChain chain) {
        if (token == null) {
            return chain.filter(exchange); // --no-auth
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return unauthorized(exchange, "this service needs Authorization: Bearer <token> (the token is in the "
                    + ApiTokenFile.DEFAULT_NAME + " file of its work dir)");
        }
        if (header.length() > MAX_CREDENTIALS) {
            return unauthorized(exchange, "credentials are too long");
        }
        if (header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            byte[] presented = header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(presented, token)
                    ? chain.filter(exchange)
                    : unauthorized(exchange, "the bearer token is not this service's token");
        }
        if (passwordHash != null && header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            String password = basicPassword(header.substring(BASIC.length()).strip());
            if (password == null) {
                return unauthorized(exchange, "malformed Basic credentials");
            }
            return Mono.fromCallable(() -> passwordMatches(password))
                    .subscribeOn(passwordChecks)
                    .publishOn(Schedulers.parallel()) // the request goes on off the password-check threads
                    .flatMap(ok -> ok ? chain.filter(exchange) : unauthorized(exchange, "wrong user name or password"))
                    .onErrorResume(RejectedExecutionException.class, e -> busy(exchange));
        }
        return unauthorized(exchange, "unsupported Authorization scheme");
    }

    private boolean passwordMatches(String password) {
        try {
            return bcrypt.matches(password, passwordHash);
        } catch (IllegalArgumentException e) {
            return false; // e.g. a password longer than bcrypt's 72 bytes
        }
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
        if (passwordHash != null) {
            headers.add(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"skychat\", charset=\"UTF-8\"");
        }
        return FilterProblems.write(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized", "unauthorized", detail);
    }

    private static Mono<Void> busy(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return FilterProblems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", "busy",
                "too many password checks in progress; retry shortly or use the bearer token");
    }

    @Override
    public void close() {
        if (passwordChecks != null) {
            passwordChecks.dispose();
        }
    }
}
