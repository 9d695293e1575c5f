package io.skychat.transport.visor;

import static io.skychat.support.VectorFiles.text;

import io.skychat.core.PeerKey;
import io.skychat.support.VectorFiles;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The recorded app ↔ visor exchanges, with their decoded values turned into our types. */
final class AppExchanges {

    static final JsonNode APP = VectorFiles.load("app_protocol.json");
    static final String PROC_KEY = text(APP.get("source").get("keys"), "proc_key");
    static final List<JsonNode> EXCHANGES = APP.get("exchanges").valueStream().toList();

    private AppExchanges() {
    }

    static AppCall<?, ?> callOf(JsonNode exchange) {
        return AppCall.appCall(text(exchange, "method")).orElseThrow();
    }

    static JsonNode decoded(JsonNode exchange, String side) {
        return VectorFiles.field(exchange.get(side).get("body"), "decoded");
    }

    static String error(JsonNode exchange) {
        return text(exchange.get("response").get("header").get("decoded"), "Error");
    }

    /** The argument the vector lists, as the type our AppCall uses. */
    static Object args(JsonNode exchange) {
        JsonNode d = decoded(exchange, "request");
        return switch (text(exchange, "method")) {
            case "Listen", "Dial" -> addr(d);
            case "Accept", "CloseConn", "CloseListener", "SetAppPort" -> d.asInt();
            case "Read" -> new ReadReq(d.get("ConnID").asInt(), d.get("BufLen").asLong());
            case "Write" -> new WriteReq(d.get("ConnID").asInt(), base64(d.get("B")));
            case "SetDeadline", "SetReadDeadline", "SetWriteDeadline" ->
                    new DeadlineReq(d.get("ConnID").asInt(), deadline(text(d, "Deadline")));
            case "SetDetailedStatus", "SetError" -> d.asString();
            case "SetConnectionDuration" -> d.asLong();
            default -> throw new AssertionError("no mapping for " + text(exchange, "method"));
        };
    }

    /** The reply the vector lists; only meaningful when the call did not fail. */
    static Object reply(JsonNode exchange) {
        JsonNode d = decoded(exchange, "response");
        return switch (text(exchange, "method")) {
            case "Listen" -> d.asInt();
            case "Dial" -> new DialResp(d.get("ConnID").asInt(), d.get("LocalPort").asInt());
            case "Accept" -> new AcceptResp(addr(d.get("Remote")), d.get("ConnID").asInt());
            case "Read" -> new ReadResp(base64(d.get("B")), d.get("N").asLong(), ioError(d.get("Err")));
            case "Write" -> new WriteResp(d.get("N").asLong(), ioError(d.get("Err")));
            default -> Empty.INSTANCE;
        };
    }

    static AppAddr addr(JsonNode d) {
        return new AppAddr(text(d, "Net"), PeerKey.parse(text(d, "PubKey")), d.get("Port").asInt());
    }

    static byte[] base64(JsonNode n) {
        return n == null || n.isNull() ? new byte[0] : Base64.getDecoder().decode(n.asString());
    }

    /** The vector prints Go's zero time for "no deadline". */
    static Optional<Instant> deadline(String t) {
        return t.startsWith("0001-01-01T00:00:00") ? Optional.empty() : Optional.of(Instant.parse(t));
    }

    static Optional<RpcIoError> ioError(JsonNode e) {
        if (e == null || e.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new RpcIoError(text(e, "Text"), e.get("IsNetErr").asBoolean(),
                e.get("IsTimeoutErr").asBoolean(), e.get("IsTemporaryErr").asBoolean()));
    }

    @SuppressWarnings("unchecked")
    static <A> byte[] call(RpcEncoder encoder, AppCall<A, ?> call, long seq, Object args) {
        return encoder.call(PROC_KEY, call, seq, (A) args);
    }

    @SuppressWarnings("unchecked")
    static <R> byte[] reply(RpcEncoder encoder, String serviceMethod, long seq, AppCall<?, R> call, Object reply) {
        return encoder.reply(serviceMethod, seq, call, (R) reply);
    }
}
