package io.skychat.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.skychat.api.dto.SendMessageRequest;
import io.skychat.api.dto.SendMessageResponse;
import io.skychat.core.PeerKey;
import io.skychat.core.TransportKind;
import tools.jackson.databind.JsonNode;

/** {@code skychat send}: one direct message through the local service, or straight to a peer with {@code --via}. */
final class SendVerb implements Verb {

    static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "send";
    }

    @Override
    public String summary() {
        return "send a direct message and, by default, wait for the peer's receipt";
    }

    @Override
    public String synopsis() {
        return "skychat send -t <pk|alias> -m <message> [-n skynet|dmsg|tcp-direct] [-w 5s] [-r N] [--verbose]\n"
                + "       skychat send --via tcp://<pk>@host:port -m <message> [--sk <hex> | -c <skywire-config.json>]";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(
                Args.Option.value("to", 't', "pk|alias", "recipient public key or alias"),
                Args.Option.value("msg", 'm', "message", "the text to send"),
                Args.Option.value("net", 'n', "network", "skynet, dmsg or tcp-direct (default: the service decides)"),
                Args.Option.value("wait", 'w', "duration", "wait this long for the peer's receipt; 0 = fire and forget (default 5s)"),
                Args.Option.value("retries", 'r', "N", "retry HTTP/transport failures N times with backoff; never a missing receipt (default 0)"),
                Args.Option.value("reply-to", (char) 0, "id", "id of the message this one answers"),
                Args.Option.flag("verbose", (char) 0, "log every layer to stderr, with /status counter deltas"),
                Args.Option.value("via", (char) 0, "tcp://pk@host:port", "dial the peer's chat app directly over TCP-direct, bypassing the service"),
                Args.Option.value("sk", (char) 0, "hex", "with --via: secret key to dial with (else env DMSGCURL_SK, -c, or an ephemeral key)"),
                Args.Option.value("config", 'c', "file", "with --via: skywire-config.json whose sk to dial with"));
    }

    @Override
    public List<String> examples() {
        return List.of(
                "skychat send -t 03fe8f6dcb…a8e3 -m \"hello\"",
                "skychat send -t bob -m \"hi over dmsg\" -n dmsg -w 8s",
                "skychat send -t bob -m \"no receipt needed\" -w 0",
                "skychat send -t bob -m \"flaky network\" -r 3 --verbose",
                "skychat send --via tcp://03fe8f6dcb…a8e3@10.0.0.7:8800 -m \"visor is down\" -c skywire-config.json");
    }

    @Override
    public int run(Call call) throws Exception {
        Args args = call.args();
        String message = args.get("msg");
        if (message == null || message.isEmpty()) {
            throw CliException.usage("-m/--msg is required and must not be empty");
        }
        Duration wait = Durations.parse("-w/--wait", args.get("wait", "5s"));
        int retries = args.intValue("retries", 0, 0, 100);
        String network = null;
        if (args.get("net") != null) {
            try {
                network = TransportKind.parse(args.get("net")).label();
            } catch (IllegalArgumentException e) {
                throw CliException.usage("-n/--net: " + e.getMessage());
            }
        }
        if (args.has("via")) {
            PeerKey to = args.has("to") ? call.aliases().resolve(args.get("to"), "-t/--to") : null;
            return new DirectSend(call).send(args.get("via"), to, message, wait);
        }
        if (!args.has("to")) {
            throw CliException.usage("-t/--to is required");
        }
        PeerKey to = call.aliases().resolve(args.get("to"), "-t/--to");
        boolean verbose = args.flag("verbose");
        ServiceClient service = call.service();
        if (verbose) {
            verbose(call, "recipient " + args.get("to") + (to.hex().equals(args.get("to").strip()) ? "" : " → " + to));
            verbose(call, "service " + service.uri("") + ", network " + (network == null ? "(service default)" : network)
                    + ", wait " + (wait.isZero() ? "none" : wait.toMillis() + "ms") + ", retries " + retries);
        }
        JsonNode before = verbose ? statusOrNull(call, service) : null;

        Long waitMs = wait.isZero() ? null : wait.toMillis();
        SendMessageRequest request = new SendMessageRequest(to.hex(), message, network, waitMs, args.get("reply-to"));
        Duration timeout = wait.plusSeconds(30);
        ServiceClient.Response response = postWithRetries(call, service, request, timeout, retries, verbose);

        if (verbose) {
            JsonNode after = statusOrNull(call, service);
            if (before != null && after != null) {
                verbose(call, "/status counters: " + deltas(before, after));
            }
        }
        if (response.status() == 504) {
            SendMessageResponse r = JsonText.read(response.body(), SendMessageResponse.class, "send answer");
            if (call.json()) {
                call.out().println(response.body().strip());
            }
            String net = r.network() != null ? r.network() : network == null ? "the default network" : network;
            call.err().println("send to " + to + " via " + net + " not acked: "
                    + (r.reason() == null ? "no receipt" : r.reason()) + (r.id() == null ? "" : " (id=" + r.id() + ")"));
            return Cli.FAILED;
        }
        ServiceClient.check(response, "/message");
        SendMessageResponse r = JsonText.read(response.body(), SendMessageResponse.class, "send answer");
        if (call.json()) {
            call.out().println(response.body().strip());
        } else {
            call.out().println(describe(to, r, network));
        }
        return Cli.OK;
    }

    static String describe(PeerKey to, SendMessageResponse r, String requestedNetwork) {
        String net = r.network() != null ? r.network() : requestedNetwork == null ? "the default network" : requestedNetwork;
        if (Boolean.TRUE.equals(r.acked())) {
            return "Acked by " + to + " in " + (r.ms() == null ? 0 : r.ms()) + "ms (id=" + r.id() + ")";
        }
        if ("queued".equals(r.status())) {
            // Accepted and kept, not written yet: say so rather than claim it went out.
            return "Message queued for " + to + " via " + net + " (id=" + r.id() + "): no open link yet;"
                    + " the node keeps trying until it is delivered";
        }
        return "Message sent to " + to + " via " + net; // "sent", or a service that does not say (upstream)
    }

    private ServiceClient.Response postWithRetries(Call call, ServiceClient service, SendMessageRequest request,
                                                   Duration timeout, int retries, boolean verbose) {
        Duration backoff = Duration.ofMillis(500);
        for (int attempt = 0; ; attempt++) {
            long started = System.nanoTime();
            String failure;
            try {
                if (verbose) {
                    verbose(call, "POST /message " + JsonText.write(request) + (attempt > 0 ? " (retry " + attempt + ")" : ""));
                }
                ServiceClient.Response r = service.post("/message", request, timeout);
                if (verbose) {
                    verbose(call, "HTTP " + r.status() + " in " + (System.nanoTime() - started) / 1_000_000 + "ms: "
                            + r.body().strip());
                }
                if (!retryable(r.status())) {
                    return r;
                }
                failure = "HTTP " + r.status() + ": " + ServiceClient.detail(r);
                if (attempt >= retries) {
                    return r;
                }
            } catch (CliException e) {
                if (e.exitCode() != Cli.UNREACHABLE || attempt >= retries) {
                    throw e;
                }
                failure = e.getMessage();
            }
            call.note(failure + "; retrying in " + backoff.toMillis() + "ms (" + (attempt + 1) + "/" + retries + ")");
            try {
                Thread.sleep(backoff.toMillis()); // retry backoff
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(Cli.INTERRUPTED, "interrupted");
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Transport trouble is worth another try; a refused request or a missing receipt is not. */
    static boolean retryable(int status) {
        return status >= 500 && status != 504;
    }

    private static JsonNode statusOrNull(Call call, ServiceClient service) {
        try {
            return service.getJson("/status");
        } catch (CliException e) {
            verbose(call, "/status unavailable: " + e.getMessage());
            return null;
        }
    }

    /** The numeric /status fields that changed, as {@code name a→b (+d)}. */
    static String deltas(JsonNode before, JsonNode after) {
        List<String> changed = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = after.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode old = before.get(f.getKey());
            if (f.getValue().isIntegralNumber() && old != null && old.isIntegralNumber()
                    && !f.getKey().equals("app_uptime_sec")) {
                long a = old.asLong();
                long b = f.getValue().asLong();
                if (a != b) {
                    changed.add(f.getKey() + " " + a + "→" + b + " (" + (b > a ? "+" : "") + (b - a) + ")");
                }
            }
        }
        return changed.isEmpty() ? "no change" : String.join(", ", changed);
    }

    private static void verbose(Call call, String line) {
        call.err().println("[verbose] " + line);
    }
}
