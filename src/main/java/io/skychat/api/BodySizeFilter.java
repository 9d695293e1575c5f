package io.skychat.api;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Caps request bodies: a declared Content-Length over the cap is refused before a byte is read; a chunked
 * body fails as soon as it crosses the cap, so nothing buffers more than the cap either way.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
final class BodySizeFilter extends ControlSurfaceFilter {

    static final int ORDER = AuthenticationFilter.ORDER + 100;

    private final long max;

    BodySizeFilter(AccessSettings settings, ApplicationContext context) {
        super(context, ORDER);
        this.max = settings.maxBodyBytes();
    }

    @Override
    Mono<Void> filterControl(ServerWebExchange exchange, WebFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > max) {
            return tooLarge(exchange, "request body of " + declared + " bytes is over the limit of " + max + " bytes");
        }
        ServerWebExchange capped = declared >= 0 ? exchange
                : exchange.mutate().request(new CappedRequest(exchange.getRequest(), max)).build();
        return chain.filter(capped)
                .onErrorResume(e -> isTooLarge(e) && !exchange.getResponse().isCommitted(),
                        e -> tooLarge(exchange, "request body is over the limit of " + max + " bytes"));
    }

    static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PayloadTooLargeException || t instanceof DataBufferLimitException) {
                return true;
            }
        }
        return false;
    }

    static Mono<Void> tooLarge(ServerWebExchange exchange, String detail) {
        return FilterProblems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "Content Too Large", "body-too-large",
                detail);
    }

    /** Counts body bytes as they stream in and fails the body once they pass the cap. */
    private static final class CappedRequest extends ServerHttpRequestDecorator {

        private final long max;

        CappedRequest(ServerHttpRequest delegate, long max) {
            super(delegate);
            this.max = max;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            AtomicLong seen = new AtomicLong();
            return super.getBody().handle((buffer, sink) -> {
                if (seen.addAndGet(buffer.readableByteCount()) > max) {
                    DataBufferUtils.release(buffer);
                    sink.error(new PayloadTooLargeException(
                            new DataBufferLimitException("request body is over the limit of " + max + " bytes")));
                } else {
                    sink.next(buffer);
                }
            });
        }
    }
}
