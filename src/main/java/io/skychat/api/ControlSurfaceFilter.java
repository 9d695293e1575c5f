package io.skychat.api;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A filter for the control surface only. Actuator runs on its own port in a child context, which also
 * picks up this context's web filters; its requests are let through untouched, since it binds loopback by
 * default and exposes only health, info and prometheus.
 */
abstract class ControlSurfaceFilter implements WebFilter, Ordered {

    private final ApplicationContext controlSurface;
    private final int order;

    ControlSurfaceFilter(ApplicationContext controlSurface, int order) {
        this.controlSurface = controlSurface;
        this.order = order;
    }

    @Override
    public final int getOrder() {
        return order;
    }

    @Override
    public final Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ApplicationContext served = exchange.getApplicationContext();
        if (served != null && served != controlSurface) {
            return chain.filter(exchange);
        }
        return filterControl(exchange, chain);
    }

    /** Filters one request to the control surface. */
    abstract Mono<Void> filterControl(ServerWebExchange exchange, WebFilterChain chain);
}
