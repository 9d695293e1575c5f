package io.skychat.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The secrets that open the control surface: the API token, compared in constant time, and the optional
 * bcrypt password, checked off the event loops. Shared by the Authorization header and browser sign-in.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
final class Credentials implements AutoCloseable {

    /** bcrypt is slow on purpose: a few checks at a time, a short queue, and the rest are told to retry. */
    static final int PASSWORD_CHECK_THREADS = 2;
    static final int PASSWORD_CHECK_QUEUE = 32;

    private final byte[] token;
    private final String passwordHash;
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
    private final Scheduler passwordChecks;

    Credentials(AccessSettings settings) {
        this.token = settings.token() == null ? null : settings.token().getBytes(StandardCharsets.UTF_8);
        this.passwordHash = settings.token() == null ? null : settings.passwordHash();
        this.passwordChecks = passwordHash == null ? null
                : Schedulers.newBoundedElastic(PASSWORD_CHECK_THREADS, PASSWORD_CHECK_QUEUE, "skychat-password-check");
    }

    /** False with {@code --no-auth}: every request is let in. */
    boolean required() {
        return token != null;
    }

    boolean passwordConfigured() {
        return passwordHash != null;
    }

    boolean tokenMatches(String presented) {
        return token != null && presented != null
                && MessageDigest.isEqual(presented.strip().getBytes(StandardCharsets.UTF_8), token);
    }

    /**
     * Whether {@code password} is the configured one, answered on a parallel thread; fails with
     * {@link java.util.concurrent.RejectedExecutionException} when too many checks are already waiting.
     */
    Mono<Boolean> passwordMatches(String password) {
        if (passwordHash == null || password == null) {
            return Mono.just(false);
        }
        return Mono.fromCallable(() -> bcryptMatches(password))
                .subscribeOn(passwordChecks)
                .publishOn(Schedulers.parallel()); // the request goes on off the password-check threads
    }

    private boolean bcryptMatches(String password) {
        try {
            return bcrypt.matches(password, passwordHash);
        } catch (IllegalArgumentException e) {
            return false; // e.g. a password longer than bcrypt's 72 bytes
        }
    }

    @Override
    public void close() {
        if (passwordChecks != null) {
            passwordChecks.dispose();
        }
    }
}
