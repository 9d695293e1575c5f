package io.skychat.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The running service's HTTP control surface, as the CLI sees it. Every failure leaves as a
 * {@link CliException} carrying one readable line and its exit code.
 */
final class ServiceClient {

    static final String DEFAULT_ADDR = "127.0.0.1:8001";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** An answer with any status; {@link #check} turns the failures into exceptions. */
    record Response(int status, String body, String contentType) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final String addr;
    private final URI base;
    private final String token;

    ServiceClient(String addr, String token) {
        this.addr = addr;
        this.base = baseUri(addr);
        this.token = token;
    }

    /** {@code host:port}, {@code :port} (loopback) or a full {@code http://} URL. */
    static URI baseUri(String addr) {
        String a = addr == null ? "" : addr.strip();
        if (a.isEmpty()) {
            throw CliException.usage("--addr is empty");
        }
        if (a.startsWith(":")) {
            a = "127.0.0.1" + a;
        }
        if (!a.startsWith("http://") && !a.startsWith("https://")) {
            a = "http://" + a;
        }
        try {
            URI uri = URI.create(a.endsWith("/") ? a.substring(0, a.length() - 1) : a);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--addr \"" + addr + "\" is not host:port");
        }
    }

    String addr() {
        return addr;
    }

    URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    Response get(String pathAndQuery) {
        return exchange("GET", pathAndQuery, Map.of(), null, REQUEST_TIMEOUT);
    }

    Response post(String path, Object body, Duration timeout) {
        return exchange("POST", path, Map.of("Content-Type", "application/json"),
                JsonText.write(body).getBytes(StandardCharsets.UTF_8), timeout);
    }

    Response delete(String pathAndQuery) {
        return exchange("DELETE", pathAndQuery, Map.of(), null, REQUEST_TIMEOUT);
    }

    /** GET that must succeed, as JSON. */
    JsonNode getJson(String pathAndQuery) {
        Response r = check(get(pathAndQuery), pathAndQuery);
        return JsonText.tree(r.body(), "answer on " + pathAndQuery);
    }

    /**
     * Opens a long-lived stream (SSE, NDJSON) for reading line by line; the caller closes it. Blocks until
     * the headers arrive; a failure answer becomes its exception.
     */
    HttpLines lines(String pathAndQuery, Map<String, String> headers) throws InterruptedException {
        PlainHttp.Answer answer;
        try {
            answer = PlainHttp.exchange(uri(pathAndQuery), "GET", headers(headers), null, CONNECT_TIMEOUT, Duration.ZERO);
        } catch (InterruptedIOException e) {
            if (e instanceof SocketTimeoutException) {
                throw unreachable(e);
            }
            Thread.interrupted();
            throw new InterruptedException("interrupted");
        } catch (IOException e) {
            throw unreachable(e);
        }
        HttpLines lines = new HttpLines(answer.body());
        if (answer.status() / 100 != 2) {
            String body;
            try (lines) {
                body = lines.readAll(64 * 1024);
            } catch (IOException e) {
                body = "";
            }
            check(new Response(answer.status(), body, answer.header("Content-Type")), pathAndQuery);
        }
        return lines;
    }

    private Map<String, String> headers(Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "application/json, */*");
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        h.putAll(extra);
        return h;
    }

    private Response exchange(String method, String pathAndQuery, Map<String, String> extra, byte[] body,
                              Duration timeout) {
        try {
            PlainHttp.Answer a = PlainHttp.exchange(uri(pathAndQuery), method, headers(extra), body, CONNECT_TIMEOUT, timeout);
            return new Response(a.status(), PlainHttp.text(a.body()), a.header("Content-Type"));
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    CliException unreachable(IOException e) {
        if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
            Thread.currentThread().interrupt();
            return new CliException(Cli.INTERRUPTED, "interrupted");
        }
        String why;
        if (e instanceof PlainHttp.ConnectTimeoutException) {
            why = "connection timed out";
        } else if (e instanceof SocketTimeoutException) {
            return CliException.failed("no answer from skychat at " + addr + " in time (request timed out)");
        } else if (causedBy(e, ConnectException.class)) {
            why = "connection refused";
        } else if (causedBy(e, UnknownHostException.class) || causedBy(e, UnresolvedAddressException.class)) {
            why = "unknown host";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return CliException.unreachable("cannot reach skychat at " + addr + ": " + why);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Returns a 2xx response; anything else becomes the exception whose line and exit code fit it. */
    static Response check(Response r, String what) {
        if (r.ok()) {
            return r;
        }
        String detail = detail(r);
        throw switch (r.status()) {
            case 401, 403 -> CliException.auth("authentication failed (HTTP " + r.status() + "): " + detail
                    + " (set --token, SKYCHAT_TOKEN or --token-file)");
            // A problem of ours names what is missing; Spring's generic 404 means the route itself is.
            case 404 -> CliException.unavailable(isSkychatProblem(r)
                    ? detail : "this service does not offer " + pathOf(what) + " (HTTP 404)");
            // A node at its stream cap is busy, not missing a feature: followers retry it with backoff.
            case 503 -> "urn:skychat:too-many-streams".equals(problemType(r))
                    ? CliException.unreachable(detail) : CliException.unavailable(detail);
            default -> CliException.failed(detail);
        };
    }

    private static boolean isSkychatProblem(Response r) {
        String type = problemType(r);
        return type != null && type.startsWith("urn:skychat:");
    }

    /** The problem's {@code type}, or null when the body is not a problem. */
    private static String problemType(Response r) {
        String body = r.body() == null ? "" : r.body().strip();
        if (!body.startsWith("{")) {
            return null;
        }
        try {
            JsonNode type = JsonText.tree(body, "problem").get("type");
            return type != null && type.isString() ? type.asString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String pathOf(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    /** The problem's {@code detail} (or title), else the first line of the body, else the status. */
    static String detail(Response r) {
        String body = r.body() == null ? "" : r.body().strip();
        if (body.startsWith("{")) {
            try {
                JsonNode node = JsonText.tree(body, "problem");
                for (String field : new String[] {"detail", "title", "error", "message"}) {
                    JsonNode v = node.get(field);
                    if (v != null && v.isString() && !v.asString().isBlank()) {
                        return v.asString().strip();
                    }
                }
            } catch (RuntimeException ignored) {
                // not JSON after all: fall through to the raw text
            }
        }
        if (!body.isEmpty()) {
            int nl = body.indexOf('\n');
            return nl < 0 ? body : body.substring(0, nl).strip();
        }
        return "HTTP " + r.status();
    }
}
