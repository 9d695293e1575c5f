package io.skychat.cli;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.skychat.api.dto.SendMessageRequest;
import io.skychat.api.dto.SendMessageResponse;
import io.skychat.core.PeerKey;
import io.skychat.core.TransportKind;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import tools.jackson.databind.JsonNode;

/**
 * {@code skychat chat -t <peer>}: the split-pane TUI. History first (when the service keeps it), then the
 * live {@code /sse} stream; each line typed is sent with {@code POST /message} and shows its delivery
 * state as the send answer and {@code dm-status} events arrive.
 */
final class ChatVerb implements Verb {

    private final Clock clock = Clock.systemUTC();

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public String summary() {
        return "interactive split-pane chat with one peer";
    }

    @Override
    public String synopsis() {
        return "skychat chat -t <pk|alias> [-n skynet|dmsg|tcp-direct]";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(
                Args.Option.value("to", 't', "pk|alias", "the peer to chat with"),
                Args.Option.value("net", 'n', "network", "network for outgoing messages (default: the service decides)"));
    }

    @Override
    public List<String> examples() {
        return List.of("skychat chat -t bob", "skychat chat -t 03fe8f6dcb…a8e3 --addr 127.0.0.1:8002",
                "keys: Enter sends, Backspace/Ctrl-U edit, Ctrl-L redraws, Esc or Ctrl-C quits");
    }

    @Override
    public int run(Call call) throws Exception {
        Args args = call.args();
        if (!args.has("to")) {
            throw CliException.usage("-t/--to is required");
        }
        Aliases aliases = call.aliases();
        PeerKey peer = aliases.resolve(args.get("to"), "-t/--to");
        String network = null;
        if (args.get("net") != null) {
            try {
                network = TransportKind.parse(args.get("net")).label();
            } catch (IllegalArgumentException e) {
                throw CliException.usage("-n/--net: " + e.getMessage());
            }
        }
        String alias = aliases.nameOf(peer.hex());
        String peerName = alias != null ? alias : TerminalText.shortKey(peer.hex());
        ServiceClient service = call.service();
        service.getJson("/status"); // fail fast, before taking over the screen, if the service is down or refuses us

        Conversation conversation = new Conversation(peer.hex(), peerName);
        loadHistory(service, peer, conversation);

        // Inside `skychat shell` the console's terminal is the system terminal; a second one cannot be opened.
        Terminal shared = ShellConsole.sharedTerminal();
        Terminal terminal = shared != null ? shared : TerminalBuilder.builder().system(true).name("skychat").build();
        if (terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
            if (shared == null) {
                terminal.close();
            }
            throw CliException.usage("chat needs an interactive terminal; in scripts use send and listen");
        }
        ExecutorService sender = Executors.newSingleThreadExecutor(daemon("skychat-chat-send"));
        AtomicBoolean receiptsSupported = new AtomicBoolean(true);
        String net = network;
        Thread stream = daemon("skychat-chat-sse").newThread(() -> {
            try {
                ListenVerb.follow(new EventStream(service, EventStream.MIN_BACKOFF, EventStream.MAX_BACKOFF),
                        () -> conversation.connection("live"),
                        event -> {
                            String incoming = conversation.event(event.json(), clock.instant());
                            if (incoming != null && receiptsSupported.get()) {
                                sender.execute(() -> markRead(service, peer, incoming, receiptsSupported));
                            }
                        },
                        why -> conversation.connection("offline: " + why));
            } catch (CliException e) {
                conversation.connection("stopped");
                conversation.notice("live updates stopped: " + e.getMessage(), clock.instant());
            }
        });
        stream.start();
        String title = "chat with " + peerName + (alias != null ? " (" + TerminalText.shortKey(peer.hex()) + ")" : "")
                + " via " + call.addr();
        try {
            new ChatScreen(terminal, conversation, title, text -> {
                Conversation.Line line = conversation.outgoing(text, clock.instant());
                sender.execute(() -> send(service, peer, net, text, line, conversation));
            }).run();
        } finally {
            stream.interrupt();
            sender.shutdownNow();
            if (shared == null) {
                terminal.close();
            }
        }
        return Cli.OK;
    }

    private void loadHistory(ServiceClient service, PeerKey peer, Conversation conversation) {
        ServiceClient.Response r;
        try {
            r = service.get("/history?peer=" + peer.hex() + "&limit=100");
        } catch (CliException e) {
            return;
        }
        if (!r.ok()) {
            return; // 503: persistence is off; 404: a service without history. Start empty either way.
        }
        try {
            JsonNode rows = Json.MAPPER.readTree(r.body());
            List<io.skychat.api.dto.HistoryEntry> entries = new ArrayList<>();
            for (JsonNode row : rows) {
                entries.add(Json.MAPPER.treeToValue(row, io.skychat.api.dto.HistoryEntry.class));
            }
            entries.sort(Comparator.comparing(e -> time(e.timestamp())));
            entries.forEach(conversation::history);
        } catch (RuntimeException e) {
            conversation.notice("could not read stored history: " + e.getMessage(), clock.instant());
        }
    }

    private static OffsetDateTime time(String ts) {
        try {
            return OffsetDateTime.parse(ts);
        } catch (RuntimeException e) {
            return OffsetDateTime.MIN;
        }
    }

    private static void send(ServiceClient service, PeerKey peer, String network, String text, Conversation.Line line,
                             Conversation conversation) {
        try {
            ServiceClient.Response r = ServiceClient.check(service.post("/message",
                    new SendMessageRequest(peer.hex(), text, network, null, null), java.time.Duration.ofSeconds(30)),
                    "/message");
            SendMessageResponse answer = Json.read(r.body(), SendMessageResponse.class, "send answer");
            conversation.sent(line, answer.id(), Boolean.TRUE.equals(answer.acked()));
        } catch (CliException e) {
            conversation.failed(line, e.getMessage());
        }
    }

    /** Tells the peer its message was shown; quietly given up on a service without the route. */
    private static void markRead(ServiceClient service, PeerKey peer, String id, AtomicBoolean supported) {
        try {
            ServiceClient.Response r = service.post("/read-receipt", Map.of("pk", peer.hex(), "id", id),
                    java.time.Duration.ofSeconds(10));
            if (r.status() == 404 || r.status() == 405) {
                supported.set(false);
            }
        } catch (CliException e) {
            // best effort: a missed read receipt only leaves the peer's tick at "received"
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
