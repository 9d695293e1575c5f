package io.skychat.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;

/**
 * The cap on HTTP connections ({@code --max-connections}): a connection past it is closed as soon as it is
 * accepted, so HTTP alone never takes the process to its descriptor limit, where every accept fails and
 * clients wait in the kernel's queue unanswered. Failed accepts are logged and counted rather than lost.
 */
public final class HttpConnectionCap {

    static final String ACCEPT_FAILURES_HANDLER = "skychat.acceptFailures";

    private static final Logger log = LoggerFactory.getLogger(HttpConnectionCap.class);

    private HttpConnectionCap() {
    }

    public static NettyServerCustomizer of(int maxConnections, HttpStats stats) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be positive");
        }
        return server -> {
            // One count per server the customizer is applied to.
            AtomicInteger open = new AtomicInteger();
            ThrottledWarning refusals = new ThrottledWarning(log, Duration.ofMinutes(1));
            ThrottledWarning acceptFailures = new ThrottledWarning(log, Duration.ofMinutes(1));
            return server
                    .doOnConnection(connection -> admit(connection, open, maxConnections, stats, refusals))
                    .doOnBound(bound -> watchAccepts(bound, stats, acceptFailures));
        };
    }

    private static void admit(Connection connection, AtomicInteger open, int max, HttpStats stats,
                              ThrottledWarning refusals) {
        int now = open.incrementAndGet();
        stats.openConnections.incrementAndGet();
        connection.channel().closeFuture().addListener(f -> {
            open.decrementAndGet();
            stats.openConnections.decrementAndGet();
        });
        if (now > max) {
            stats.connectionsRefused.incrementAndGet();
            refusals.occurred("closing new HTTP connections at accept: all " + max
                    + " are open (raise --max-connections if this is expected load)", null);
            connection.channel().close();
        }
    }

    /** The listening channel reports failed accepts as exceptions on its own pipeline. */
    private static void watchAccepts(DisposableServer bound, HttpStats stats, ThrottledWarning failures) {
        bound.channel().pipeline().addLast(ACCEPT_FAILURES_HANDLER, new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // Reactor Netty's acceptor pauses accepting for a moment and goes on; this makes it visible.
                stats.acceptFailures.incrementAndGet();
                failures.occurred("the control surface cannot accept a connection on " + bound.address(), cause);
            }
        });
    }
}
