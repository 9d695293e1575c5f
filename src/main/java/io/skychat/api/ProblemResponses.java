package io.skychat.api;

import java.net.URI;

import io.skychat.core.SkychatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.PayloadTooLargeException;
import org.springframework.web.server.ServerWebInputException;

/** Every error leaves as RFC 9457 problem+json with a stable {@code urn:skychat:<type>} type. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE) // before Spring's generic problem-details handler
class ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    static ProblemDetail problem(HttpStatus status, String type, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create("urn:skychat:" + type));
        p.setTitle(status.getReasonPhrase());
        return p;
    }

    static HttpStatus statusOf(String type) {
        return switch (type) {
            case "message-too-large" -> HttpStatus.CONTENT_TOO_LARGE;
            case "store-full" -> HttpStatus.INSUFFICIENT_STORAGE;
            case "rate-limited" -> HttpStatus.TOO_MANY_REQUESTS;
            case "persistence-off" -> HttpStatus.SERVICE_UNAVAILABLE;
            case "pairing-off" -> HttpStatus.SERVICE_UNAVAILABLE;
            case "pair-not-found" -> HttpStatus.NOT_FOUND;
            case "pair-not-active" -> HttpStatus.CONFLICT;
            case "pair-unsupported" -> HttpStatus.NOT_IMPLEMENTED;
            case "pair-visor" -> HttpStatus.BAD_GATEWAY;
            case "store-failure" -> HttpStatus.INTERNAL_SERVER_ERROR;
            case "group-join-denied" -> HttpStatus.FORBIDDEN;
            case "group-unreachable" -> HttpStatus.BAD_GATEWAY;
            case "peer-unreachable", "link-closed", "protocol-error" -> HttpStatus.BAD_GATEWAY;
            default -> HttpStatus.BAD_REQUEST;
        };
    }

    @ExceptionHandler(SkychatException.class)
    ProblemDetail skychat(SkychatException e) {
        HttpStatus status = statusOf(e.type());
        if (status.is5xxServerError()) {
            log.info("request failed: {}", e.getMessage());
        }
        return problem(status, e.type(), e.getMessage());
    }

    /** Group failures carry their HTTP meaning in their kind; the type names the case. */
    @ExceptionHandler(io.skychat.groups.GroupsException.class)
    ProblemDetail groups(io.skychat.groups.GroupsException e) {
        HttpStatus status = switch (e.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNREACHABLE -> HttpStatus.BAD_GATEWAY;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        return problem(status, e.type(), e.getMessage());
    }

    /** A group artefact refused for a rule it breaks: who may do it (403), what cannot change (409), else 400. */
    @ExceptionHandler(io.skychat.group.GroupException.class)
    ProblemDetail groupRule(io.skychat.group.GroupException e) {
        HttpStatus status = switch (e.reason()) {
            case NOT_ADMIN, NOT_ALLOWED_TO_POST, FOUNDER_IMMUTABLE -> HttpStatus.FORBIDDEN;
            case KIND_IMMUTABLE -> HttpStatus.CONFLICT;
            default -> HttpStatus.BAD_REQUEST;
        };
        return problem(status, e.type(), e.getMessage());
    }

    @ExceptionHandler(ServerWebInputException.class)
    ProblemDetail badInput(ServerWebInputException e) {
        Throwable cause = e.getMostSpecificCause();
        String detail = cause instanceof DecodingException || e.getCause() instanceof DecodingException
                ? "request body is not valid JSON: " + firstLine(cause.getMessage())
                : firstLine(e.getReason());
        return problem(HttpStatus.BAD_REQUEST, "bad-json", detail);
    }

    /** A body over {@code skychat.limits.max-body-size} (or the JSON codec's buffer of the same size). */
    @ExceptionHandler(PayloadTooLargeException.class)
    ProblemDetail bodyTooLarge(PayloadTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "request body is over the size limit");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed request";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
