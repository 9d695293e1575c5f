package io.skychat.cli;

import io.skychat.api.dto.HistoryEntry;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** {@code skychat history}: the persisted conversation, from {@code GET /history}. */
final class HistoryVerb implements Verb {

    private final Clock clock;

    HistoryVerb() {
        this(Clock.systemUTC());
    }

    HistoryVerb(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "history";
    }

    @Override
    public String summary() {
        return "print stored messages (needs persistence on the service)";
    }

    @Override
    public String synopsis() {
        return "skychat history [--peer <pk|alias>] [--limit 1..1000] [--since 2h] [--json]";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(
                Args.Option.value("peer", 'p', "pk|alias", "only the conversation with this peer"),
                Args.Option.value("limit", 'l', "N", "at most N messages, 1..1000 (default 100)"),
                Args.Option.value("since", 's', "duration", "only messages younger than this, e.g. 2h or 30m"));
    }

    @Override
    public List<String> examples() {
        return List.of("skychat history --peer bob", "skychat history --since 2h --limit 1000",
                "skychat history --json | jq -r .text");
    }

    @Override
    public int run(Call call) {
        Args args = call.args();
        int limit = args.intValue("limit", 100, 1, 1000);
        Duration since = args.has("since") ? Durations.parse("--since", args.get("since")) : null;
        StringBuilder query = new StringBuilder("/history?limit=").append(limit);
        if (args.has("peer")) {
            String pk = call.aliases().resolve(args.get("peer"), "--peer").hex();
            query.append("&peer=").append(URLEncoder.encode(pk, StandardCharsets.UTF_8));
        }
        JsonNode rows = call.service().getJson(query.toString());
        if (!rows.isArray()) {
            throw CliException.failed("unexpected answer on /history: not an array");
        }
        Instant cutoff = since == null ? null : clock.instant().minus(since);
        for (JsonNode row : rows) {
            HistoryEntry e = JsonText.bind(row, HistoryEntry.class, "answer on /history");
            if (cutoff != null && !after(e, cutoff)) {
                continue;
            }
            call.out().println(call.json() ? JsonText.oneLine(row) : format(e));
        }
        return Cli.OK;
    }

    private static boolean after(HistoryEntry e, Instant cutoff) {
        try {
            return !OffsetDateTime.parse(e.timestamp()).toInstant().isBefore(cutoff);
        } catch (DateTimeParseException | NullPointerException ex) {
            return true; // an unreadable time is shown rather than silently dropped
        }
    }

    static String format(HistoryEntry e) {
        return (e.timestamp() == null ? "-" : e.timestamp()) + " [" + (e.outgoing() ? "out" : "in") + " @ "
                + e.peer() + "] " + TerminalText.escape(e.text());
    }
}
