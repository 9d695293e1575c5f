package io.skychat.cli;

import java.util.List;
import java.util.Map;

import io.skychat.core.TransportKind;
import tools.jackson.databind.JsonNode;

/**
 * {@code skychat listen}: prints direct messages from the service's {@code /sse} stream as they come,
 * reconnecting with {@code Last-Event-ID} and dropping the replayed events it has already printed.
 */
final class ListenVerb implements Verb {

    @Override
    public String name() {
        return "listen";
    }

    @Override
    public String summary() {
        return "print direct messages as they arrive (SSE), reconnecting as needed";
    }

    @Override
    public String synopsis() {
        return "skychat listen [--from <pk|alias>] [-n skynet|dmsg|tcp-direct] [--raw | --json]";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(
                Args.Option.value("from", 'f', "pk|alias", "only messages from this peer"),
                Args.Option.value("net", 'n', "network", "only messages that travelled over this network"),
                Args.Option.flag("raw", (char) 0, "print the message body only"));
    }

    @Override
    public List<String> examples() {
        return List.of(
                "skychat listen",
                "skychat listen --from bob -n dmsg",
                "skychat listen --json | jq -r .message",
                "skychat listen --addr 127.0.0.1:8002   # a standalone node's hub");
    }

    /** Which messages to print and how. */
    record Filter(String from, String network) {
        boolean admits(JsonNode event) {
            if (!isDirectMessage(event)) {
                return false;
            }
            if (from != null && !from.equalsIgnoreCase(text(event, "sender"))) {
                return false;
            }
            return network == null || network.equals(text(event, "network"));
        }
    }

    enum Mode { HUMAN, RAW, JSON }

    @Override
    public int run(Call call) {
        Args args = call.args();
        if (args.flag("raw") && call.json()) {
            throw CliException.usage("--raw and --json exclude each other");
        }
        String from = args.has("from") ? call.aliases().resolve(args.get("from"), "--from").hex() : null;
        String net = null;
        if (args.get("net") != null) {
            try {
                net = TransportKind.parse(args.get("net")).label();
            } catch (IllegalArgumentException e) {
                throw CliException.usage("-n/--net: " + e.getMessage());
            }
        }
        Filter filter = new Filter(from, net);
        Mode mode = call.json() ? Mode.JSON : args.flag("raw") ? Mode.RAW : Mode.HUMAN;
        ServiceClient service = call.service();
        call.err().println("listening on " + service.uri("/sse") + (net == null ? "" : " (network " + net + ")")
                + "; Ctrl-C to stop");
        follow(service, new EventStream(service, EventStream.MIN_BACKOFF, EventStream.MAX_BACKOFF), event -> {
            if (filter.admits(event.json())) {
                call.out().println(format(event.json(), event.data(), mode));
                call.out().flush();
            }
        }, call::note);
        return Cli.OK;
    }

    /** One parsed, not yet seen SSE event. */
    record Received(String id, String data, JsonNode json) {
    }

    /**
     * Follows {@code /sse} until interrupted, handing each event once: reconnects send the last id as
     * {@code Last-Event-ID} and the replay the service sends back is filtered by id.
     */
    static void follow(ServiceClient service, EventStream stream, java.util.function.Consumer<Received> sink,
                       java.util.function.Consumer<String> notice) {
        follow(stream, () -> { }, sink, notice);
    }

    static void follow(EventStream stream, Runnable onConnected, java.util.function.Consumer<Received> sink,
                       java.util.function.Consumer<String> notice) {
        RecentIds seen = new RecentIds(4096);
        String[] lastId = new String[1];
        EventStream.SseParser parser = new EventStream.SseParser(e -> {
            if (e.id() != null && !e.id().isEmpty()) {
                lastId[0] = e.id();
            }
            if (!seen.firstTime(e.id())) {
                return;
            }
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(e.data());
            } catch (RuntimeException notJson) {
                notice.accept("skipping an event that is not JSON: " + TerminalText.escape(e.data()));
                return;
            }
            sink.accept(new Received(e.id(), e.data(), json));
        });
        stream.follow(() -> new EventStream.Target("/sse", lastId[0] == null
                        ? Map.of("Accept", "text/event-stream")
                        : Map.of("Accept", "text/event-stream", "Last-Event-ID", lastId[0])),
                onConnected, parser::line, notice);
    }

    static boolean isDirectMessage(JsonNode event) {
        return !event.has("channel") && event.has("sender") && event.has("message");
    }

    static String format(JsonNode event, String data, Mode mode) {
        return switch (mode) {
            case JSON -> data.contains("\n") ? Json.oneLine(event) : data;
            case RAW -> TerminalText.escape(text(event, "message"));
            case HUMAN -> {
                String net = text(event, "network");
                yield "[" + text(event, "sender") + (net.isEmpty() ? "" : "/" + net) + "] "
                        + TerminalText.escape(text(event, "message"));
            }
        };
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asString();
    }
}
