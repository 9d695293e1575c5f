package io.skychat.api;

import java.util.Map;
import java.util.TreeMap;

import io.skychat.core.ChatEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders chat events in upstream's SSE JSON shapes. Keys are sorted, as Go's encoder writes maps, so
 * the lines are byte-identical to what upstream listeners are used to.
 */
final class SseEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SseEvents() {
    }

    static String json(ChatEvent event) {
        return JSON.writeValueAsString(fields(event));
    }

    /** A history row as upstream seeds it: {@code sender} is "self" on our own messages. */
    static String seedJson(io.skychat.core.StoredMessage m) {
        Map<String, Object> f = new TreeMap<>();
        f.put("sender", m.outgoing() ? "self" : m.from().hex());
        f.put("message", m.text());
        f.put("peer", m.peer().hex());
        f.put("ts", java.time.format.DateTimeFormatter.ISO_INSTANT.format(m.timestamp().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        f.put("history", "true");
        return JSON.writeValueAsString(f);
    }

    static Map<String, Object> fields(ChatEvent event) {
        Map<String, Object> m = new TreeMap<>();
        if (event instanceof ChatEvent.DirectMessage dm) {
            m.put("sender", dm.sender().hex());
            m.put("message", dm.text());
            m.put("network", dm.network().label());
            m.put("dir", dm.direction().label());
            m.put("id", dm.messageId().value());
            m.put("len", dm.length());
            if (dm.direction() == io.skychat.core.Direction.OUT) {
                m.put("to", dm.recipient().hex());
            }
            if (dm.replyTo() != null) {
                m.put("reply_to_id", dm.replyTo().value());
            }
        } else if (event instanceof ChatEvent.DeliveryStatus status) {
            m.put("channel", "dm-status");
            m.put("id", status.messageId().value());
            m.put("status", status.state().label());
            m.put("peer", status.peer().hex());
        } else if (event instanceof ChatEvent.PairText pm) {
            m.put("channel", "pair");
            m.put("sender", pm.sender().hex());
            m.put("message", pm.text());
            m.put("peer", pm.peer().hex());
            m.put("ts", io.skychat.pair.GoJson.time(pm.timestamp()));
            m.put("id", pm.messageId());
            m.put("dir", pm.direction().label());
        } else if (event instanceof ChatEvent.GroupText gm) {
            // upstream's group envelope: {channel:"group",sender,message,group_id,ts (RFC 3339 nano),ts_nano}
            m.put("channel", "group");
            m.put("sender", gm.sender().hex());
            m.put("message", gm.text());
            m.put("group_id", gm.groupId());
            m.put("ts", io.skychat.pair.GoJson.time(gm.timestamp()));
            m.put("ts_nano", gm.tsNano());
        } else if (event instanceof ChatEvent.PairHandshake h) {
            m.put("channel", "pair-invite");
            m.put("event", h.event());
            m.put("peer", h.peer().hex());
            m.put("ts", io.skychat.pair.GoJson.time(h.timestamp()));
        }
        return m;
    }
}
