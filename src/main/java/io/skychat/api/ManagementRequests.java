package io.skychat.api;

import org.springframework.context.ApplicationContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * Actuator runs on its own port in a child context, which also picks up this context's web filters. Its
 * requests are left alone: it binds loopback by default and exposes only health, info and prometheus.
 */
final class ManagementRequests {

    private ManagementRequests() {
    }

    static boolean isManagement(ServerWebExchange exchange, ApplicationContext controlSurface) {
        ApplicationContext served = exchange.getApplicationContext();
        return served != null && served != controlSurface;
    }
}
