package io.skychat.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code skychat group create|invite|join|send|listen|history|list|info|add|remove|promote|demote|leave|delete|
 * requests|approve|deny}: the {@code /group} routes of a running service (one with a relay network).
 */
final class GroupVerb implements Verb {

    private static final Duration POST_TIMEOUT = Duration.ofSeconds(60);
    private static final String SUBS = "create, list, info, invite, join, send, listen, history, add, remove, "
            + "promote, demote, leave, delete, requests, approve or deny";
    private final Clock clock;

    GroupVerb() {
        this(Clock.systemUTC());
    }

    GroupVerb(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "group";
    }

    @Override
    public String summary() {
        return "group chat over feeds: group create|join|send|listen|history|list|info|invite|add|remove|…";
    }

    @Override
    public String synopsis() {
        return "skychat group create <name> [--kind public|private|channel] [--member <pk>,…] | list [--all] | info <id> "
                + "| invite <id> | join <link|address> [--note text] | send <id> <text…> | listen [<id>] [--since 5m|RFC3339] "
                + "[--interval 1s] [--raw] | history <id> [--since …] [--limit N] [--raw] | add|remove|promote|demote <id> <pk> "
                + "| leave <id> | delete <id> | requests <id> | approve|deny <id> <pk>";
    }

    @Override
    public List<Args.Option> options() {
        return List.of(
                Args.Option.value("kind", 'k', "kind", "create: public (default), private (sealed bodies, admission by "
                        + "approval) or channel (only admins post)"),
                Args.Option.value("mode", 'm', "mode", "create: public or private (upstream's older name for --kind)"),
                Args.Option.value("name", (char) 0, "name", "create: the group's name (or give it as the first argument)"),
                Args.Option.value("member", (char) 0, "pk,…", "create: initial members, comma-separated keys or aliases"),
                Args.Option.value("note", (char) 0, "text", "join: a note for the admins who decide (≤ 280 characters)"),
                Args.Option.value("since", 's', "when", "listen, history: messages after this (a duration ago, e.g. 5m, "
                        + "or an RFC 3339 time)"),
                Args.Option.value("interval", (char) 0, "duration", "listen: poll the history this often instead of "
                        + "following /sse live"),
                Args.Option.value("limit", 'l', "n", "history: at most this many, the newest (1..1000, default 100)"),
                Args.Option.flag("raw", (char) 0, "listen, history: message bodies unescaped (may span lines)"),
                Args.Option.flag("all", (char) 0, "list: also groups left or deleted"));
    }

    @Override
    public List<String> examples() {
        return List.of(
                "skychat group create friends --kind private --member bob",
                "skychat group list",
                "skychat group invite <id>",
                "skychat --addr 127.0.0.1:8011 group join skychat:invite:eyJpZCI6…",
                "skychat group send <id> dinner at eight?",
                "skychat group listen --since 10m",
                "skychat group history <id> --json | jq -r .body",
                "skychat group promote <id> carol",
                "skychat group requests <id>",
                "skychat group approve <id> dave");
    }

    @Override
    public int run(Call call) {
        List<String> p = call.args().positional();
        if (p.isEmpty()) {
            throw CliException.usage("needs a subcommand: " + SUBS);
        }
        String sub = p.get(0);
        switch (sub) {
            case "create" -> create(call, p);
            case "list", "ls" -> list(call);
            case "info" -> {
                String id = id(p, "info");
                JsonNode g = getJson(call, "/group/" + id);
                print(call, g, info(g));
            }
            case "invite" -> {
                String id = id(p, "invite");
                JsonNode r = getJson(call, "/group/" + id + "/invite");
                print(call, r, r.path("invite").asString());
            }
            case "join" -> join(call, p);
            case "send" -> {
                if (p.size() < 3) {
                    throw CliException.usage("usage: group send <id> <text…>");
                }
                String id = p.get(1);
                String text = String.join(" ", p.subList(2, p.size()));
                JsonNode r = post(call, "/group/" + path(id) + "/send", Map.of("text", text));
                print(call, r, "sent to " + id);
            }
            case "listen" -> listen(call, p);
            case "history" -> history(call, p);
            case "add", "remove", "rm", "promote", "demote" -> {
                String action = sub.equals("rm") ? "remove" : sub;
                if (p.size() != 3) {
                    throw CliException.usage("usage: group " + action + " <id> <pk|alias>");
                }
                String id = p.get(1);
                String pk = call.aliases().resolve(p.get(2), "group " + action).hex();
                JsonNode g = post(call, "/group/" + path(id) + "/members/" + action, Map.of("pk", pk));
                boolean admins = action.equals("promote") || action.equals("demote");
                print(call, g, admins
                        ? "group " + id + " now has " + g.path("admins").size() + " admin(s)"
                        : "group " + id + " now has " + count(g) + " members");
            }
            case "leave" -> {
                String id = id(p, "leave");
                post(call, "/group/" + id + "/leave", Map.of());
                print(call, done(id, "left"), "left " + id);
            }
            case "delete" -> {
                String id = id(p, "delete");
                check(call.service().delete("/group/" + id), "/group/" + id);
                print(call, done(id, "deleted"), "deleted " + id);
            }
            case "requests" -> {
                String id = id(p, "requests");
                JsonNode rows = getJson(call, "/group/" + id + "/requests");
                if (call.json()) {
                    call.out().println(Json.oneLine(rows));
                } else if (rows.isEmpty()) {
                    call.err().println("(no join requests waiting)");
                } else {
                    for (JsonNode r : rows) {
                        String note = r.path("note").asString();
                        call.out().println(r.path("pk").asString() + "  asked " + r.path("received_at").asString()
                                + (note.isEmpty() ? "" : "  " + TerminalText.escape(note)));
                    }
                }
            }
            case "approve", "deny" -> {
                if (p.size() != 3) {
                    throw CliException.usage("usage: group " + sub + " <id> <pk|alias>");
                }
                String id = p.get(1);
                String pk = call.aliases().resolve(p.get(2), "group " + sub).hex();
                JsonNode g = post(call, "/group/" + path(id) + "/requests/" + sub, Map.of("pk", pk));
                print(call, g, sub.equals("approve") ? "approved " + pk + " into " + id
                        : "denied " + pk + " for " + id);
            }
            default -> throw CliException.usage("unknown subcommand \"" + sub + "\": use " + SUBS);
        }
        return Cli.OK;
    }

    private void create(Call call, List<String> p) {
        Args args = call.args();
        String name = args.get("name");
        if (name == null) {
            if (p.size() < 2) {
                throw CliException.usage("usage: group create <name> [--kind public|private|channel] [--member <pk>,…]");
            }
            name = String.join(" ", p.subList(1, p.size()));
        } else if (p.size() > 1) {
            throw CliException.usage("give the name once: as --name or as the argument");
        }
        String kind = args.get("kind", args.get("mode", "public")).strip().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("public", "private", "channel").contains(kind)) {
            throw CliException.usage("--kind must be public, private or channel, not \"" + kind + "\"");
        }
        List<String> members = new ArrayList<>();
        if (args.has("member")) {
            for (String m : args.get("member").split(",")) {
                if (!m.isBlank()) {
                    members.add(call.aliases().resolve(m.strip(), "--member").hex());
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("kind", kind);
        body.put("members", members);
        JsonNode r = post(call, "/group", body);
        JsonNode g = r.path("info");
        print(call, r, "group created\n"
                + "  id:      " + g.path("id").asString() + "\n"
                + "  name:    " + TerminalText.escape(g.path("name").asString()) + "\n"
                + "  kind:    " + g.path("kind").asString() + "\n"
                + "  mode:    " + g.path("mode").asString() + "\n"
                + "  port:    " + g.path("port").asString() + "\n"
                + "  members: " + count(g) + "\n\n"
                + "invite link (share with members):\n"
                + "  " + r.path("invite").asString());
    }

    private void list(Call call) {
        JsonNode rows = getJson(call, call.args().flag("all") ? "/group?all=1" : "/group");
        if (call.json()) {
            call.out().println(Json.oneLine(rows));
            return;
        }
        if (rows.isEmpty()) {
            call.err().println("(no groups; create one with: skychat group create <name>, or join one with: "
                    + "skychat group join <link>)");
            return;
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"ID", "NAME", "MODE", "ROLE", "STATUS", "MEMBERS", "LAST_MESSAGE"});
        for (JsonNode g : rows) {
            JsonNode last = g.path("last_message_at");
            table.add(new String[] {g.path("id").asString(), TerminalText.escape(g.path("name").asString()),
                    g.path("mode").asString(), g.path("role").asString(), g.path("status").asString(),
                    String.valueOf(count(g)), last.isNull() || last.isMissingNode() || last.asString().isEmpty()
                            ? "-" : seconds(last.asString())});
        }
        call.out().print(columns(table));
    }

    private void join(Call call, List<String> p) {
        if (p.size() != 2) {
            throw CliException.usage("usage: group join <skychat:invite:…|skychat://<pk>/<group-id>> [--note text]");
        }
        String link = p.get(1).strip();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(link.startsWith("skychat://") ? "address" : "invite", link);
        if (call.args().has("note")) {
            body.put("note", call.args().get("note"));
        }
        JsonNode g = post(call, "/group/join", body);
        String verb = g.path("join_status").asString().equals("pending") || g.path("status").asString().equals("awaiting_approval")
                ? "requested to join group (waiting for an admin to approve)" : "joined group";
        print(call, g, verb + " \"" + TerminalText.escape(g.path("name").asString()) + "\"\n"
                + "  id:    " + g.path("id").asString() + "\n"
                + "  owner: " + g.path("owner_pk").asString() + "\n"
                + "  mode:  " + g.path("mode").asString());
    }

    private void history(Call call, List<String> p) {
        if (call.args().flag("raw") && call.json()) {
            throw CliException.usage("--raw and --json exclude each other");
        }
        String id = id(p, "history");
        int limit = call.args().intValue("limit", 100, 1, 1000);
        StringBuilder q = new StringBuilder("/group/").append(id).append("/history?limit=").append(limit);
        if (call.args().has("since")) {
            q.append("&since=").append(URLEncoder.encode(since(call.args().get("since")).toString(), StandardCharsets.UTF_8));
        }
        for (JsonNode m : getJson(call, q.toString())) {
            call.out().println(line(call, m.path("ts").asString(), m.path("group_id").asString(),
                    m.path("sender_pk").asString(), m.path("text").asString(), m.path("ts_nano").asLong()));
        }
    }

    /**
     * Live from {@code /sse} by default (the replay window first, then as they come); with {@code --interval},
     * by polling each group's history, as upstream's older CLI did.
     */
    private void listen(Call call, List<String> p) {
        Args args = call.args();
        if (args.flag("raw") && call.json()) {
            throw CliException.usage("--raw and --json exclude each other");
        }
        if (p.size() > 2) {
            throw CliException.usage("usage: group listen [<id>] [--since 5m|RFC3339] [--interval 1s] [--raw]");
        }
        String only = p.size() == 2 ? GroupIds.check(p.get(1)) : null;
        Instant since = args.has("since") ? since(args.get("since")) : null;
        Duration interval = args.has("interval") ? Durations.parse("--interval", args.get("interval")) : null;
        if (interval != null && interval.isZero()) {
            throw CliException.usage("--interval must be more than 0");
        }
        RecentIds seen = new RecentIds(20_000);
        ServiceClient service = call.service();
        if (interval == null) {
            call.err().println("listening for group messages on " + service.uri("/sse") + "; Ctrl-C to stop");
            ListenVerb.follow(service, new EventStream(service, EventStream.MIN_BACKOFF, EventStream.MAX_BACKOFF), e -> {
                JsonNode ev = e.json();
                if (!"group".equals(ev.path("channel").asString())) {
                    return;
                }
                String gid = ev.path("group_id").asString();
                long tsNano = ev.path("ts_nano").asLong();
                if ((only != null && !only.equals(gid)) || (since != null && tsNano != 0 && !after(tsNano, since))
                        || !seen.firstTime(gid + "/" + ev.path("sender").asString() + "/" + tsNano)) {
                    return;
                }
                call.out().println(line(call, ev.path("ts").asString(), gid, ev.path("sender").asString(),
                        ev.path("message").asString(), tsNano));
                call.out().flush();
            }, call::note);
            return;
        }
        call.err().println("polling group history on " + service.uri("/group") + " every " + args.get("interval")
                + "; Ctrl-C to stop");
        Map<String, String> cursor = new LinkedHashMap<>();
        while (!Thread.currentThread().isInterrupted()) {
            List<String> ids = new ArrayList<>();
            if (only != null) {
                ids.add(only);
            } else {
                for (JsonNode g : getJson(call, "/group")) {
                    ids.add(g.path("id").asString());
                }
            }
            for (String gid : ids) {
                StringBuilder q = new StringBuilder("/group/").append(gid).append("/history?limit=1000");
                String from = cursor.getOrDefault(gid, since == null ? null : since.toString());
                if (from != null) {
                    q.append("&since=").append(URLEncoder.encode(from, StandardCharsets.UTF_8));
                }
                for (JsonNode m : getJson(call, q.toString())) {
                    long tsNano = m.path("ts_nano").asLong();
                    if (!seen.firstTime(gid + "/" + m.path("sender_pk").asString() + "/" + tsNano)) {
                        continue;
                    }
                    cursor.put(gid, m.path("ts").asString());
                    call.out().println(line(call, m.path("ts").asString(), gid, m.path("sender_pk").asString(),
                            m.path("text").asString(), tsNano));
                }
                call.out().flush();
            }
            try {
                Thread.sleep(interval.toMillis()); // the poll interval itself: there is nothing else to wait for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- output

    /** Upstream's line: {@code [<RFC 3339>] [<group-id>] <sender-pk>: <body>}; NDJSON {@code {ts,group_id,sender_pk,body}}. */
    private static String line(Call call, String ts, String groupId, String sender, String body, long tsNano) {
        if (call.json()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("ts", ts);
            o.put("group_id", groupId);
            o.put("sender_pk", sender);
            o.put("body", body);
            o.put("ts_nano", tsNano);
            return Json.oneLine(o);
        }
        return "[" + seconds(ts) + "] [" + groupId + "] " + sender + ": "
                + (call.args().flag("raw") ? body : TerminalText.escape(body));
    }

    private static String info(JsonNode g) {
        StringBuilder b = new StringBuilder();
        JsonNode last = g.path("last_message_at");
        row(b, "id", g.path("id").asString());
        row(b, "name", TerminalText.escape(g.path("name").asString()));
        row(b, "owner", g.path("owner_pk").asString());
        row(b, "port", g.path("port").asString());
        row(b, "kind", g.path("kind").asString());
        row(b, "mode", g.path("mode").asString());
        if ("private".equals(g.path("mode").asString())) {
            row(b, "key_epoch", g.path("key_epoch").asString());
        }
        row(b, "role", g.path("role").asString());
        row(b, "status", g.path("status").asString());
        row(b, "last_message_at", last.isNull() || last.isMissingNode() ? "-" : seconds(last.asString()));
        b.append("members (").append(count(g)).append("):\n");
        g.path("members").forEach(m -> b.append("  ").append(m.asString()).append("\n"));
        b.append("admins (").append(g.path("admins").size()).append("):\n");
        g.path("admins").forEach(m -> b.append("  ").append(m.asString()).append("\n"));
        return b.toString().stripTrailing();
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format("%-17s%s%n", label + ":", value));
    }

    /** Columns two spaces apart, as Go's tabwriter lays them out. */
    static String columns(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private static int count(JsonNode g) {
        return g.has("members_count") ? g.path("members_count").asInt() : g.path("members").size();
    }

    /** RFC 3339 to the second, as upstream's CLI prints times; anything unreadable as it came. */
    private static String seconds(String ts) {
        try {
            return OffsetDateTime.parse(ts).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return ts;
        }
    }

    private static JsonNode done(String id, String what) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", id);
        o.put(what, true);
        return o;
    }

    private static void print(Call call, JsonNode json, String human) {
        call.out().println(call.json() ? Json.oneLine(json) : human);
    }

    private static boolean after(long tsNano, Instant since) {
        return tsNano > since.getEpochSecond() * 1_000_000_000L + since.getNano();
    }

    // ---- requests

    private static String id(List<String> p, String sub) {
        if (p.size() != 2) {
            throw CliException.usage("usage: group " + sub + " <id>");
        }
        return path(p.get(1));
    }

    /** The id as a path segment; the service says what is wrong with one that is not a group id. */
    private static String path(String id) {
        return URLEncoder.encode(id.strip(), StandardCharsets.UTF_8);
    }

    private static JsonNode getJson(Call call, String pathAndQuery) {
        ServiceClient.Response r = check(call.service().get(pathAndQuery), pathAndQuery);
        return Json.tree(r.body(), "answer on " + pathAndQuery);
    }

    private static JsonNode post(Call call, String path, Object body) {
        ServiceClient.Response r = check(call.service().post(path, body, POST_TIMEOUT), path);
        String text = r.body() == null ? "" : r.body().strip();
        return text.isEmpty() ? Json.MAPPER.createObjectNode() : Json.tree(text, "answer on " + path);
    }

    /**
     * As {@link ServiceClient#check}, except that a group's own refusals (no such group, not allowed, a conflict)
     * are failures of the request, exit 1, not a missing feature or a bad token.
     */
    static ServiceClient.Response check(ServiceClient.Response r, String what) {
        if (!r.ok() && (r.status() == 403 || r.status() == 404 || r.status() == 409) && isGroupProblem(r)) {
            throw CliException.failed(ServiceClient.detail(r));
        }
        return ServiceClient.check(r, what);
    }

    private static boolean isGroupProblem(ServiceClient.Response r) {
        String body = r.body() == null ? "" : r.body().strip();
        if (!body.startsWith("{")) {
            return false;
        }
        try {
            JsonNode type = Json.MAPPER.readTree(body).get("type");
            return type != null && type.isString() && type.asString().startsWith("urn:skychat:group");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code 5m} (that long ago) or an RFC 3339 time. */
    Instant since(String value) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            return clock.instant().minus(Durations.parse("--since", value));
        }
    }

    /** Group ids as the service names them: UUID strings. */
    static final class GroupIds {
        private GroupIds() {
        }

        static String check(String id) {
            String s = id.strip();
            if (!s.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                throw CliException.usage("\"" + s + "\" is not a group id (a UUID, as group list shows it)");
            }
            return s.toLowerCase(java.util.Locale.ROOT);
        }
    }
}
