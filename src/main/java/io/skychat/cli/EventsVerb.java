package io.skychat.cli;

import io.skychat.api.dto.EventLine;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * {@code skychat events}: the structured event feed ({@code GET /events}, NDJSON), followed like
 * {@code tail -f}; a reconnect resumes after the last {@code seq} seen and drops ids already printed.
 */
final class EventsVerb implements Verb {

    static final Set<String> CHANNELS = Set.of("dm", "group", "pair", "system", "all");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Override
    public String name() {
        return "events";
    }

    @Override
    public String summary() {
        return "follow the structured event feed (NDJSON with --json)";
    }

    @Override
    public String synopsis() {
        return "skychat events [--json] [--channel dm,group,pair,system|all] [--since <seq>]";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(
                Args.Option.value("channel", (char) 0, "list", "comma-separated channels: dm, group, pair, system or all"
                        + " (default: dm,group,pair)"),
                Args.Option.value("since", (char) 0, "seq", "resume after this sequence number (default 0: the whole buffer)"));
    }

    @Override
    public List<String> examples() {
        return List.of("skychat events", "skychat events --json --channel dm | jq -c 'select(.dir==\"in\")'",
                "skychat events --json --since 1042   # resume where a previous run stopped");
    }

    @Override
    public int run(Call call) {
        Args args = call.args();
        String channel = args.get("channel");
        if (channel != null) {
            for (String c : channel.split(",")) {
                if (!CHANNELS.contains(c.strip())) {
                    throw CliException.usage("--channel: unknown channel \"" + c.strip() + "\" (use dm, group, pair, system or all)");
                }
            }
        }
        long[] lastSeq = {0};
        if (args.has("since")) {
            try {
                lastSeq[0] = Long.parseLong(args.get("since").strip());
            } catch (NumberFormatException e) {
                throw CliException.usage("--since takes a sequence number, got \"" + args.get("since") + "\"");
            }
        }
        RecentIds seen = new RecentIds(20_000);
        ServiceClient service = call.service();
        ZoneId zone = ZoneId.systemDefault();
        new EventStream(service, EventStream.MIN_BACKOFF, EventStream.MAX_BACKOFF).follow(
                () -> new EventStream.Target("/events?since=" + lastSeq[0] + (channel == null ? "" : "&channel=" + channel),
                        Map.of("Accept", "application/x-ndjson")),
                line -> {
                    String payload = line.startsWith("data:") ? line.substring(5).strip() : line.strip();
                    if (payload.isEmpty() || payload.startsWith(":") || !payload.startsWith("{")) {
                        return; // keep-alives, SSE framing
                    }
                    JsonNode node;
                    try {
                        node = Json.MAPPER.readTree(payload);
                    } catch (RuntimeException e) {
                        call.note("skipping a line that is not JSON: " + TerminalText.escape(payload));
                        return;
                    }
                    EventLine event = Json.MAPPER.treeToValue(node, EventLine.class);
                    lastSeq[0] = Math.max(lastSeq[0], event.seq());
                    if (!seen.firstTime(event.id())) {
                        return;
                    }
                    call.out().println(call.json() ? payload : format(event, zone));
                    call.out().flush();
                },
                call::note);
        return Cli.OK;
    }

    /** {@code [15:04:05] #<seq> <channel> <dir> <from→to>  <text>} */
    static String format(EventLine e, ZoneId zone) {
        String time;
        try {
            time = OffsetDateTime.parse(e.ts()).atZoneSameInstant(zone).format(CLOCK);
        } catch (DateTimeParseException | NullPointerException ex) {
            time = "--:--:--";
        }
        String scope = e.groupId() == null || e.groupId().isEmpty() ? e.channel() : e.channel() + ":" + e.groupId();
        String who = TerminalText.shortKey(e.from());
        if (e.to() != null && !e.to().isEmpty()) {
            who += "→" + TerminalText.shortKey(e.to());
        }
        return String.format("[%s] #%d %-6s %-3s %s  %s", time, e.seq(), scope, e.dir() == null ? "" : e.dir(), who,
                TerminalText.escape(e.text()));
    }
}
