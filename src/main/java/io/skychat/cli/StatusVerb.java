package io.skychat.cli;

import java.util.List;
import java.util.stream.Collectors;

import io.skychat.api.dto.StatusResponse;

/** {@code skychat status}: the service's health and counters, summarised or as its raw JSON. */
final class StatusVerb implements Verb {

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "show the service's identity, links and counters";
    }

    @Override
    public String synopsis() {
        return "skychat status [--json]";
    }

    @Override
    public List<Args.Option> options() {
        return List.of();
    }

    @Override
    public List<String> examples() {
        return List.of("skychat status", "skychat status --json | jq .inbound_msg_count",
                "skychat status --addr 127.0.0.1:8002");
    }

    @Override
    public int run(Call call) {
        if (!call.args().positional().isEmpty()) {
            throw CliException.usage("takes no arguments");
        }
        ServiceClient.Response r = ServiceClient.check(call.service().get("/status"), "/status");
        if (call.json()) {
            call.out().println(r.body().strip());
        } else {
            call.out().print(format(Json.read(r.body(), StatusResponse.class, "status"), call.addr()));
        }
        return Cli.OK;
    }

    static String format(StatusResponse s, String addr) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("skychat at %s%n", addr));
        b.append(String.format("  identity     %s%n", s.visorPk()));
        b.append(String.format("  uptime       %s%n", uptime(s.appUptimeSec())));
        b.append(String.format("  links        %d%s%n", s.activePeerConns(), s.peers() == null || s.peers().isEmpty()
                ? "" : " (" + String.join(", ", s.peers()) + ")"));
        b.append(String.format("  messages in  %d (dropped %d, not kept in history %d), last %s%n",
                s.inboundMsgCount(), s.inboundDropCount(), s.inboundNotKeptCount(), blank(s.lastRxTs())));
        b.append(String.format("  messages out %d (failed %d, retried %d, fell back %d), last %s%n",
                s.outboundMsgCount(), s.outboundFailCount(), s.outboundRetryCount(), s.outboundFallbackCount(),
                blank(s.lastSendTs())));
        b.append(String.format("  sse          %d subscriber%s, %d dropped%n", s.sseSubscribers(),
                s.sseSubscribers() == 1 ? "" : "s", s.sseDropCount()));
        b.append(String.format("  persistence  %s, pairing %s%n", onOff(s.persistenceEnabled()), onOff(s.pairingEnabled())));
        b.append(String.format("  protocol     frame v%d, schema %s%n", s.frameProtoVersion(), s.schemaVersion()));
        if (s.groups() != null && !s.groups().isEmpty()) {
            b.append(String.format("  groups       %s%n", s.groups().stream()
                    .map(g -> g.name() + " (" + g.role() + ", " + g.membersCount() + " members, " + g.status() + ")")
                    .collect(Collectors.joining(", "))));
        }
        return b.toString();
    }

    static String uptime(long seconds) {
        long d = seconds / 86_400;
        long h = seconds % 86_400 / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return (d > 0 ? d + "d" : "") + (d > 0 || h > 0 ? h + "h" : "") + (d > 0 || h > 0 || m > 0 ? m + "m" : "") + s + "s";
    }

    private static String blank(String ts) {
        return ts == null || ts.isEmpty() ? "never" : ts;
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }
}
