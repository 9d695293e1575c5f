package io.skychat.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Headers that keep a browser showing the web UI to this service's own files: scripts, styles and
 * connections from this origin only, no framing by other sites, no referrer leaving the page.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
final class BrowserHeadersFilter extends ControlSurfaceFilter {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 50; // before any filter can answer
    static final String POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    BrowserHeadersFilter(ApplicationContext context) {
        super(context, ORDER);
    }

    @Override
    Mono<Void> filterControl(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set("Content-Security-Policy", POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        return chain.filter(exchange);
    }
}
