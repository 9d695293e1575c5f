package io.skychat.api;

import java.time.Duration;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Slow senders: a request body must keep arriving (read timeout) and finish in time (request timeout).
 * Both apply to reading requests only, so long-lived SSE responses are not cut; the idle timeout between
 * requests is {@code server.netty.idle-timeout} in application.yml.
 */
public final class SlowClientTimeouts {

    private SlowClientTimeouts() {
    }

    public static NettyServerCustomizer of(Duration readTimeout, Duration requestTimeout) {
        return server -> server.readTimeout(readTimeout).requestTimeout(requestTimeout);
    }
}
