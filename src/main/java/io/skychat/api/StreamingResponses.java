package io.skychat.api;

import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;

/** Headers for the long-lived streams (/sse, /events), which are written by hand. */
final class StreamingResponses {

    private StreamingResponses() {
    }

    static void prepare(ServerHttpResponse response, MediaType type) {
        response.getHeaders().setContentType(type);
        response.getHeaders().setCacheControl("no-cache");
        response.getHeaders().set("X-Accel-Buffering", "no"); // tell proxies not to buffer the stream
    }
}
