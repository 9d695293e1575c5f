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
            call.out().print(format(JsonText.read(r.body(), StatusResponse.class, "status"), call.addr()));
        }
        return Cli.OK;
    }

    /** Plain appends rather than String.format: the numbers need no locale, and a verb skips loading its data. */
    static String format(StatusResponse s, String addr) {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder(512);
        b.append("skychat at ").append(addr).append(nl);
        b.append("  identity     ").append(s.visorPk()).append(nl);
        b.append("  uptime       ").append(uptime(s.appUptimeSec())).append(nl);
        b.append("  links        ").append(s.activePeerConns()).append(s.peers() == null || s.peers().isEmpty()
                ? "" : " (" + String.join(", ", s.peers()) + ")").append(nl);
        b.append("  messages in  ").append(s.inboundMsgCount()).append(" (dropped ").append(s.inboundDropCount())
                .append(", not kept in history ").append(s.inboundNotKeptCount()).append("), last ")
                .append(blank(s.lastRxTs())).append(nl);
        b.append("  messages out ").append(s.outboundMsgCount()).append(" (failed ").append(s.outboundFailCount())
                .append(", retried ").append(s.outboundRetryCount()).append(", fell back ")
                .append(s.outboundFallbackCount()).append("), last ").append(blank(s.lastSendTs())).append(nl);
        b.append("  sse          ").append(s.sseSubscribers()).append(" subscriber").append(s.sseSubscribers() == 1 ? "" : "s")
                .append(", ").append(s.sseDropCount()).append(" dropped").append(nl);
        b.append("  persistence  ").append(onOff(s.persistenceEnabled())).append(", pairing ")
                .append(onOff(s.pairingEnabled())).append(nl);
        b.append("  protocol     frame v").append(s.frameProtoVersion()).append(", schema ").append(s.schemaVersion())
                .append(nl);
        if (s.groups() != null && !s.groups().isEmpty()) {
            b.append("  groups       ").append(s.groups().stream()
                    .map(g -> g.name() + " (" + g.role() + ", " + g.membersCount() + " members, " + g.status() + ")")
                    .collect(Collectors.joining(", "))).append(nl);
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
