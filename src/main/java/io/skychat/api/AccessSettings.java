package io.skychat.api;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who may use the control surface and from where, copied out of configuration at the edge.
 *
 * @param token          the bearer token; null only when authentication was switched off
 * @param passwordHash   a bcrypt hash for HTTP Basic, or null
 * @param allowedHosts   Host header values answered: {@code name} for any port or {@code name:port} for one
 * @param allowedOrigins cross-origin {@code Origin}s allowed, as {@code scheme://host[:port]}
 * @param maxBodyBytes   largest request body read
 */
public record AccessSettings(String token, String passwordHash, Set<String> allowedHosts,
                             Set<String> allowedOrigins, long maxBodyBytes) {

    /** Names a local browser or client uses for this machine; a DNS-rebinding page cannot send them. */
    public static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    public AccessSettings {
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        allowedHosts = normalize(allowedHosts, RequestOriginFilter::normalizeHost);
        allowedOrigins = normalize(allowedOrigins, RequestOriginFilter::normalizeOrigin);
    }

    public boolean authenticationEnabled() {
        return token != null;
    }

    private static Set<String> normalize(Collection<String> values, java.util.function.UnaryOperator<String> f) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            String n = v == null || v.isBlank() ? null : f.apply(v.strip());
            if (n == null) {
                throw new IllegalArgumentException("cannot use \"" + v + "\" here");
            }
            out.add(n);
        }
        return Set.copyOf(out);
    }

    @Override
    public String toString() {
        return "AccessSettings[auth=" + (token == null ? "off" : "on") + ", basic=" + (passwordHash != null)
                + ", allowedHosts=" + allowedHosts + ", allowedOrigins=" + allowedOrigins
                + ", maxBodyBytes=" + maxBodyBytes + "]";
    }
}
