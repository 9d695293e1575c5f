package io.skychat.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * Signed-in browsers. The cookie holds 32 random bytes; only their SHA-256 is kept, so the map never holds
 * a usable credential. Bounded: when full, the session closest to expiry makes room for the new one.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
final class BrowserSessions {

    static final String COOKIE = "skychat_session";
    static final Duration LIFETIME = Duration.ofHours(12);
    static final int MAX_SESSIONS = 64;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration lifetime;
    private final int maxSessions;

    BrowserSessions() {
        this(Clock.systemUTC(), LIFETIME, MAX_SESSIONS);
    }

    BrowserSessions(Clock clock, Duration lifetime, int maxSessions) {
        if (lifetime.isNegative() || lifetime.isZero() || maxSessions < 1) {
            throw new IllegalArgumentException("a session needs a positive lifetime and room for one");
        }
        this.clock = clock;
        this.lifetime = lifetime;
        this.maxSessions = maxSessions;
    }

    Duration lifetime() {
        return lifetime;
    }

    /** A new session; the returned value goes into the cookie and nowhere else. */
    synchronized String open() {
        Instant now = clock.instant();
        expiries.values().removeIf(expiry -> !expiry.isAfter(now));
        while (expiries.size() >= maxSessions) {
            expiries.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> expiries.remove(oldest.getKey()));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiries.put(digest(value), now.plus(lifetime));
        return value;
    }

    boolean valid(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return false;
        }
        String key = digest(cookie);
        Instant expiry = expiries.get(key);
        if (expiry == null) {
            return false;
        }
        if (!expiry.isAfter(clock.instant())) {
            expiries.remove(key, expiry);
            return false;
        }
        return true;
    }

    void close(String cookie) {
        if (cookie != null && cookie.length() <= 100) {
            expiries.remove(digest(cookie));
        }
    }

    int size() {
        return expiries.size();
    }

    private static String digest(String value) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
