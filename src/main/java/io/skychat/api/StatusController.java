package io.skychat.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.skychat.api.dto.StatusResponse;
import io.skychat.core.ChatCounters;
import io.skychat.core.ChatService;
import io.skychat.core.EventHub;
import io.skychat.core.HistoryStore;
import io.skychat.core.PeerKey;
import io.skychat.core.PeerLinks;
import io.skychat.core.StreamNetwork;
import io.skychat.core.Transport;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class StatusController {

    static final int FRAME_PROTO_VERSION = 1;
    static final String SCHEMA_VERSION = "v1";

    private final ChatService chat;
    private final PeerLinks links;
    private final EventHub hub;
    private final ChatCounters counters;
    private final HistoryStore history;
    private final StreamSlots streams;
    private final HttpStats http;
    private final Instant startedAt = Instant.now();

    private final boolean pairingEnabled;
    private final org.springframework.beans.factory.ObjectProvider<io.skychat.groups.GroupService> groups;

    StatusController(ChatService chat, PeerLinks links, EventHub hub, ChatCounters counters, HistoryStore history,
                     StreamSlots streams, HttpStats http,
                     org.springframework.beans.factory.ObjectProvider<io.skychat.pairs.PairService> pairs,
                     org.springframework.beans.factory.ObjectProvider<io.skychat.groups.GroupService> groups) {
        this.pairingEnabled = pairs.getIfAvailable() != null;
        this.groups = groups;
        this.chat = chat;
        this.links = links;
        this.hub = hub;
        this.counters = counters;
        this.history = history;
        this.streams = streams;
        this.http = http;
    }

    private List<StatusResponse.NetworkStatus> networks() {
        return links.transports().stream()
                .sorted(java.util.Comparator.comparing(Transport::kind))
                .map(t -> new StatusResponse.NetworkStatus(t.kind().label(), t.isUp(), links.count(t.kind()),
                        t instanceof StreamNetwork))
                .toList();
    }

    @GetMapping(path = "/status", produces = MediaType.APPLICATION_JSON_VALUE)
    StatusResponse status() {
        return new StatusResponse(
                chat.self().hex(),
                hub.subscriberCount(),
                links.size(),
                hexes(links.peers()),
                history.enabled(),
                pairingEnabled,
                FRAME_PROTO_VERSION,
                SCHEMA_VERSION,
                Duration.between(startedAt, Clock.systemUTC().instant()).toSeconds(),
                counters.inboundMessages.get(),
                counters.outboundMessages.get(),
                counters.inboundDrops.get(),
                counters.outboundFailures.get(),
                counters.outboundRetries.get(),
                counters.outboundFallbacks.get(),
                counters.sseDrops.get(),
                counters.inboundNotKept.get(),
                format(counters.lastReceived()),
                format(counters.lastSent()),
                groupRows(),
                streams.open(),
                streams.max(),
                http.streamsRefused.get(),
                http.connectionsRefused.get(),
                http.acceptFailures.get(),
                networks());
    }

    /** Upstream's {@code groups[]}: one row per group this node keeps, empty when groups are not running. */
    private List<StatusResponse.GroupStatus> groupRows() {
        io.skychat.groups.GroupService g = groups.getIfAvailable();
        if (g == null) {
            return List.of();
        }
        return g.statusRows().stream()
                .map(r -> new StatusResponse.GroupStatus(r.id(), r.name(), r.role(), r.status(), r.membersCount(),
                        r.lastMessageAt() == null ? "" : format(r.lastMessageAt()), r.lagSeconds(), r.subscriberAlive(),
                        r.subDropCount()))
                .toList();
    }

    private static List<String> hexes(List<PeerKey> keys) {
        List<String> out = new java.util.ArrayList<>(keys.size());
        for (PeerKey k : keys) {
            out.add(k.hex());
        }
        return out;
    }

    private static String format(Instant t) {
        return t == null ? "" : DateTimeFormatter.ISO_INSTANT.format(t);
    }
}
