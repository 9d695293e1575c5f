package io.skychat.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Problem+json written by web filters, which answer before any controller (and its advice) is involved. */
final class FilterProblems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FilterProblems() {
    }

    static Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, String title, String type,
                            String detail) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(new IllegalStateException("response already committed: " + detail));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:skychat:" + type);
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", exchange.getRequest().getPath().value());
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(bytes.length);
        response.getHeaders().setCacheControl("no-store");
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
    }

    /** Attacker-chosen header values are quoted back shortened, so a problem never echoes a large payload. */
    static String quote(String value) {
        String v = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return "\"" + v + "\"";
    }
}
