package io.skychat.api;

import java.util.concurrent.Executor;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;

/** The long-lived streams (/sse, /events): written by hand, capped, and ended with their connection. */
final class StreamingResponses {

    /** Seconds a refused stream is asked to wait before trying again. */
    static final String RETRY_AFTER_SECONDS = "5";

    private StreamingResponses() {
    }

    static void prepare(ServerHttpResponse response, MediaType type) {
        response.getHeaders().setContentType(type);
        response.getHeaders().setCacheControl("no-cache");
        response.getHeaders().set("X-Accel-Buffering", "no"); // tell proxies not to buffer the stream
    }

    /**
     * 503 problem+json for a stream over the cap. The connection is closed after it, so a refused client
     * does not go on holding one of the HTTP connections the control routes need.
     */
    static Mono<Void> refuse(ServerWebExchange exchange, StreamSlots slots) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        return FilterProblems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable",
                StreamSlots.PROBLEM_TYPE, slots.refusalDetail());
    }

    /** The response's open connection, or null when it is not Reactor Netty's (a mock exchange) or has closed. */
    static Channel channel(ServerHttpResponse response) {
        Object nativeResponse;
        try {
            nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
        } catch (IllegalArgumentException notReactorNetty) {
            return null;
        }
        if (nativeResponse instanceof HttpServerResponse netty) {
            Channel[] channel = {null};
            netty.withConnection(connection -> channel[0] = connection.channel());
            return channel[0] != null && channel[0].isActive() ? channel[0] : null;
        }
        return null;
    }

    /**
     * Whether the response's body goes out in HTTP/1.1 chunks as written: asked once its headers are sent,
     * when Reactor Netty has chosen its framing (not for HTTP/1.0, nor a body of known length), and not
     * when the body is content-encoded.
     */
    static boolean chunked(ServerHttpResponse response) {
        Object nativeResponse;
        try {
            nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
        } catch (IllegalArgumentException notReactorNetty) {
            return false;
        }
        return nativeResponse instanceof HttpServerResponse netty
                && netty.responseHeaders().containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)
                && !netty.responseHeaders().contains(HttpHeaderNames.CONTENT_ENCODING);
    }

    /** Where a stream without a connection of its own is served: one shared thread, so it stays serialized. */
    static final Executor ELSEWHERE = task -> Schedulers.single().schedule(task);

    /**
     * Writes {@code body} until the client's connection closes and frees {@code slot} exactly once, however
     * the stream ends: cancelled, completed, failed, or its connection gone. The connection is watched
     * directly because a connection that closes before the response starts may never cancel the body.
     */
    static Mono<Void> write(ServerHttpResponse response, StreamSlots.Slot slot, Flux<DataBuffer> body) {
        return writeGroups(response, slot, body.map(Mono::just));
    }

    /**
     * {@link #write} in groups, each flushed when written; a group is subscribed only once the one before it
     * has been written, so a last group may hand the connection to a writer of its own.
     */
    static Mono<Void> writeGroups(ServerHttpResponse response, StreamSlots.Slot slot,
                                  Flux<? extends Publisher<DataBuffer>> groups) {
        StreamEnd end = new StreamEnd(slot);
        end.watch(response);
        Flux<? extends Publisher<DataBuffer>> bounded = groups.takeUntilOther(end.closed.asMono())
                .doFinally(signal -> end.run());
        return response.writeAndFlushWith(bounded).doFinally(signal -> end.run());
    }

    /** Frees the slot, ends the body and stops watching the connection, once. */
    private static final class StreamEnd implements Runnable {

        private final StreamSlots.Slot slot;
        private final Sinks.Empty<Void> closed = Sinks.empty();
        private volatile ChannelFuture watched;
        private final ChannelFutureListener onClose = future -> run();

        StreamEnd(StreamSlots.Slot slot) {
            this.slot = slot;
        }

        void watch(ServerHttpResponse response) {
            Object nativeResponse;
            try {
                nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
            } catch (IllegalArgumentException notReactorNetty) {
                return; // e.g. a mock exchange: the body's own end frees the slot
            }
            if (nativeResponse instanceof HttpServerResponse netty) {
                netty.withConnection(connection -> {
                    // Once Reactor Netty has let go of a closed connection, channel() is an inactive stand-in
                    // whose close future never completes: inactive means it has closed already.
                    Channel channel = connection.channel();
                    if (!channel.isActive()) {
                        run();
                        return;
                    }
                    watched = channel.closeFuture();
                    watched.addListener(onClose); // runs at once if it closed in between
                });
            }
        }

        @Override
        public void run() {
            slot.release();
            closed.tryEmitEmpty();
            ChannelFuture future = watched;
            if (future != null) {
                future.removeListener(onClose);
            }
        }
    }
}
