package io.skychat.api;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * First gate of the control surface. A Host outside the allow-list is how a DNS-rebinding page reaches a
 * loopback service (421); a foreign Origin is a browser page on another site calling us (403). No CORS
 * headers are ever added, so browsers keep enforcing the same-origin policy.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
final class RequestOriginFilter extends ControlSurfaceFilter {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");

    private final AccessSettings settings;

    RequestOriginFilter(AccessSettings settings, ApplicationContext context) {
        super(context, ORDER);
        this.settings = settings;
    }

    @Override
    Mono<Void> filterControl(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String host = headers.getFirst(HttpHeaders.HOST);
        if (host == null || !hostAllowed(host, exchange.getRequest().getLocalAddress())) {
            return FilterProblems.write(exchange, HttpStatus.MISDIRECTED_REQUEST, "Misdirected Request",
                    "host-not-allowed", host == null ? "the request has no Host header"
                            : "Host " + FilterProblems.quote(host) + " is not served here (allow it with --allowed-host)");
        }
        String origin = headers.getOrigin();
        if (origin != null && !originAllowed(origin, host, exchange.getRequest().getURI().getScheme())) {
            return FilterProblems.write(exchange, HttpStatus.FORBIDDEN, "Forbidden", "origin-not-allowed",
                    "Origin " + FilterProblems.quote(origin)
                            + " may not call this service (allow it with --allowed-origin)");
        }
        return chain.filter(exchange);
    }

    /**
     * Whether the request carries an {@code Origin} and it is this service's own (or an allowed one). Browsers
     * send Origin on every request that changes something, so its absence there means no browser page sent it.
     */
    boolean sameOrigin(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String origin = headers.getOrigin();
        String host = headers.getFirst(HttpHeaders.HOST);
        return origin != null && host != null
                && originAllowed(origin, host, exchange.getRequest().getURI().getScheme());
    }

    boolean hostAllowed(String header, InetSocketAddress local) {
        String host = normalizeHost(header);
        if (host == null) {
            return false;
        }
        if (settings.allowedHosts().contains(host)) {
            return true; // an exact host:port entry
        }
        String name = nameOf(host);
        if (settings.allowedHosts().contains(name)) {
            return true;
        }
        // The IP literal the connection arrived on: a rebinding attack always carries its own domain name.
        return local != null && local.getAddress() != null && !local.getAddress().isAnyLocalAddress()
                && name.equals(local.getAddress().getHostAddress());
    }

    boolean originAllowed(String origin, String host, String scheme) {
        String o = normalizeOrigin(origin);
        if (o == null) {
            return false; // includes "null", which sandboxed frames and file: pages send
        }
        if (settings.allowedOrigins().contains(o)) {
            return true;
        }
        return o.equals(normalizeOrigin(scheme + "://" + host));
    }

    /** {@code name}, {@code name:port}, {@code [v6]} or {@code [v6]:port}, lower case; null when malformed. */
    static String normalizeHost(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.indexOf(':') != v.lastIndexOf(':') && !v.startsWith("[")) {
            v = "[" + v + "]"; // a bare IPv6 address from server.address or a flag
        }
        String name;
        String port = null;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                return null;
            }
            name = v.substring(0, close + 1);
            String rest = v.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = rest.substring(1);
            }
            if (!IPV6.matcher(name).matches()) {
                return null;
            }
        } else {
            int colon = v.indexOf(':');
            name = colon < 0 ? v : v.substring(0, colon);
            port = colon < 0 ? null : v.substring(colon + 1);
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1); // "localhost." is localhost
            }
            if (!NAME.matcher(name).matches()) {
                return null;
            }
        }
        if (port != null) {
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(port) > 65535) {
                return null;
            }
            return name + ":" + Integer.parseInt(port);
        }
        return name;
    }

    private static String nameOf(String normalizedHost) {
        int colon = normalizedHost.lastIndexOf(':');
        int bracket = normalizedHost.lastIndexOf(']');
        return colon > bracket ? normalizedHost.substring(0, colon) : normalizedHost;
    }

    /** {@code scheme://host[:port]} with the scheme's default port left out; null when not an origin. */
    static String normalizeOrigin(String value) {
        String v = value.strip();
        if (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            return null;
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return null;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = normalizeHost(uri.getHost());
        if (host == null) {
            return null;
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }
}
