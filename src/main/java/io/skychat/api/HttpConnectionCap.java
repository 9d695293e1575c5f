package io.skychat.api;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * The cap on HTTP connections ({@code --max-connections}): a connection past it is closed the moment it is
 * accepted, so HTTP alone never takes the process to its descriptor limit, where every accept fails and
 * clients wait in the kernel's queue unanswered. Failed accepts are logged and counted rather than lost.
 */
public final class HttpConnectionCap {

    static final String HANDLER_NAME = "skychat.connectionCap";

    private static final Logger log = LoggerFactory.getLogger(HttpConnectionCap.class);

    private HttpConnectionCap() {
    }

    public static NettyServerCustomizer of(int maxConnections, HttpStats stats) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be positive");
        }
        // On the listening channel, ahead of Reactor Netty's acceptor: an HTTP server's doOnConnection runs
        // per request, and a connection closed later on its own event loop still holds its descriptor while a
        // burst of accepts goes on; here each one is refused before the next accept.
        return server -> server.doOnBound(bound -> bound.channel().pipeline()
                .addFirst(HANDLER_NAME, new AcceptGuard(maxConnections, stats, bound.address())));
    }

    /** Sees every accepted connection and every failed accept of one listener. */
    private static final class AcceptGuard extends ChannelInboundHandlerAdapter {

        private final int max;
        private final HttpStats stats;
        private final SocketAddress address;
        private final AtomicInteger open = new AtomicInteger();
        private final ThrottledWarning refusals = new ThrottledWarning(log, Duration.ofMinutes(1));
        private final ThrottledWarning acceptFailures = new ThrottledWarning(log, Duration.ofMinutes(1));

        AcceptGuard(int max, HttpStats stats, SocketAddress address) {
            this.max = max;
            this.stats = stats;
            this.address = address;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof Channel child)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (open.incrementAndGet() > max) {
                open.decrementAndGet();
                stats.connectionsRefused.incrementAndGet();
                refusals.occurred("closing new HTTP connections at accept: all " + max + " are open "
                        + "(raise --max-connections if this is expected load)", null);
                child.unsafe().closeForcibly(); // not registered yet: closing the descriptor is all there is
                return;
            }
            stats.openConnections.incrementAndGet();
            child.closeFuture().addListener(f -> {
                open.decrementAndGet();
                stats.openConnections.decrementAndGet();
            });
            ctx.fireChannelRead(child);
        }

        /** Reactor Netty's acceptor pauses accepting for a second after a failed accept, and says nothing. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            stats.acceptFailures.incrementAndGet();
            acceptFailures.occurred("the control surface cannot accept connections on " + address
                    + "; clients wait unanswered until descriptors are free", cause);
            ctx.fireExceptionCaught(cause);
        }
    }
}
