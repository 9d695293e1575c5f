package io.skychat.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * {@code skychat pair add|accept|decline|send|poll|list|remove}: the {@code /pair} routes of a running service
 * (started with {@code --pair-enable}).
 */
final class PairVerb implements Verb {

    private static final Duration POST_TIMEOUT = Duration.ofSeconds(30);
    private final Clock clock;

    PairVerb() {
        this(Clock.systemUTC());
    }

    PairVerb(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "pair";
    }

    @Override
    public String summary() {
        return "private 1:1 feeds: pair add|accept|decline|send|poll|list|remove";
    }

    @Override
    public String synopsis() {
        return "skychat pair add <pk> | accept <pk> | decline <pk> | send <pk> <text…> | poll [--since 5m|RFC3339] "
                + "[--limit N] | list | invites | remove <pk>";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(
                Args.Option.value("since", 's', "when", "poll: messages after this (a duration ago, e.g. 5m, or an RFC 3339 time)"),
                Args.Option.value("limit", 'l', "n", "poll: at most this many, the newest (1..1000, default 100)"));
    }

    @Override
    public List<String> examples() {
        return List.of(
                "skychat pair add bob",
                "skychat pair list",
                "skychat pair accept alice",
                "skychat pair send bob see you at eight",
                "skychat pair poll --since 10m --json",
                "skychat pair remove bob");
    }

    @Override
    public int run(Call call) {
        List<String> p = call.args().positional();
        if (p.isEmpty()) {
            throw CliException.usage("needs a subcommand: add, accept, decline, send, poll, list, invites or remove");
        }
        String sub = p.get(0);
        switch (sub) {
            case "add" -> {
                String pk = peer(call, p, "add");
                JsonNode r = JsonText.tree(ServiceClient.check(call.service().post("/pair", Map.of("peer_pk", pk),
                        POST_TIMEOUT), "/pair").body(), "answer on /pair");
                print(call, r, "pair with " + pk + ": " + r.path("status").asString());
            }
            case "accept", "decline" -> {
                String pk = peer(call, p, sub);
                String path = "/pair/invites/" + pk + "/" + sub;
                ServiceClient.check(call.service().post(path, Map.of(), POST_TIMEOUT), path);
                print(call, (Map.of("peer_pk", pk, sub.equals("accept") ? "accepted" : "declined", true)),
                        "invite from " + pk + (sub.equals("accept") ? " accepted" : " declined"));
            }
            case "send" -> {
                if (p.size() < 3) {
                    throw CliException.usage("usage: pair send <pk|alias> <text…>");
                }
                String pk = call.aliases().resolve(p.get(1), "pair send").hex();
                String text = String.join(" ", p.subList(2, p.size()));
                String path = "/pair/" + pk + "/message";
                JsonNode r = JsonText.tree(ServiceClient.check(call.service().post(path, Map.of("text", text),
                        POST_TIMEOUT), path).body(), "answer on " + path);
                print(call, r, "Pair message sent to " + pk + " (id=" + r.path("id").asString() + ")");
            }
            case "poll" -> {
                int limit = call.args().intValue("limit", 100, 1, 1000);
                StringBuilder q = new StringBuilder("/pair/inbox?limit=").append(limit);
                if (call.args().has("since")) {
                    q.append("&since=").append(URLEncoder.encode(since(call.args().get("since")), StandardCharsets.UTF_8));
                }
                JsonNode rows = call.service().getJson(q.toString());
                for (JsonNode m : rows) {
                    call.out().println(call.json() ? JsonText.oneLine(m) : m.path("ts").asString() + " [pair/"
                            + m.path("peer_pk").asString() + "] " + TerminalText.escape(m.path("text").asString()));
                }
            }
            case "list", "ls", "invites" -> {
                boolean invites = sub.equals("invites");
                JsonNode rows = call.service().getJson(invites ? "/pair/invites" : "/pair");
                if (call.json()) {
                    call.out().println(JsonText.oneLine(rows));
                } else if (rows.isEmpty()) {
                    call.err().println(invites ? "(no pending invites)" : "(no pairs; invite one with: skychat pair add <pk>)");
                } else {
                    for (JsonNode r : rows) {
                        call.out().println(invites
                                ? String.format("%s  invited %s", r.path("peer_pk").asString(), r.path("received_at").asString())
                                : String.format("%s  %-11s port %s  last %s", r.path("peer_pk").asString(),
                                        r.path("status").asString(), r.path("port").asString(),
                                        r.path("last_message_at").isNull() ? "-" : r.path("last_message_at").asString()));
                    }
                }
            }
            case "remove", "rm" -> {
                String pk = peer(call, p, "remove");
                ServiceClient.check(call.service().delete("/pair/" + pk), "/pair/" + pk);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("peer_pk", pk);
                out.put("removed", true);
                print(call, out, "pair with " + pk + " removed");
            }
            default -> throw CliException.usage("unknown subcommand \"" + sub
                    + "\": use add, accept, decline, send, poll, list, invites or remove");
        }
        return Cli.OK;
    }

    private static String peer(Call call, List<String> p, String sub) {
        if (p.size() != 2) {
            throw CliException.usage("usage: pair " + sub + " <pk|alias>");
        }
        return call.aliases().resolve(p.get(1), "pair " + sub).hex();
    }

    private static void print(Call call, Object json, String line) {
        call.out().println(call.json() ? JsonText.write(json) : line);
    }

    /** {@code 5m} (that long ago) or an RFC 3339 time, as the service wants it. */
    String since(String value) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant().toString();
        } catch (DateTimeParseException e) {
            Duration ago = Durations.parse("--since", value);
            Instant at = clock.instant().minus(ago);
            return at.toString();
        }
    }
}
