package io.skychat.core;

import java.time.Instant;

/**
 * One line of the structured event log ({@code GET /events}): a chat event with a sequence number that
 * only goes up, across restarts. Empty optional fields are null.
 */
public record EventRecord(long seq, String id, Instant ts, String channel, String transport, String dir,
                          String from, String to, String groupId, String text, String replyToId, int len,
                          String status) {

    public static final String DM = "dm";
    public static final String GROUP = "group";
    public static final String PAIR = "pair";
    public static final String SYSTEM = "system";

    static EventRecord of(long seq, ChatEvent event) {
        if (event instanceof ChatEvent.DirectMessage dm) {
            return new EventRecord(seq, dm.id(), dm.timestamp(), DM, dm.network().label(), dm.direction().label(),
                    dm.sender().hex(), dm.recipient().hex(), null, dm.text(),
                    dm.replyTo() == null ? null : dm.replyTo().value(), dm.length(), null);
        }
        if (event instanceof ChatEvent.PairText pm) {
            int len = pm.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            return new EventRecord(seq, pm.id(), pm.timestamp(), PAIR, "cxo", pm.direction().label(),
                    pm.sender().hex(), pm.direction() == Direction.IN ? null : pm.peer().hex(), null, pm.text(), null,
                    len, null);
        }
        if (event instanceof ChatEvent.GroupText gt) {
            int len = gt.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            return new EventRecord(seq, gt.id(), gt.timestamp(), GROUP, "cxo", gt.direction().label(),
                    gt.sender().hex(), null, gt.groupId(), gt.text(), null, len, null);
        }
        if (event instanceof ChatEvent.PairHandshake h) {
            return new EventRecord(seq, h.id(), h.timestamp(), PAIR, "dm", null, h.peer().hex(), null, null, "",
                    null, 0, "invite-" + h.event());
        }
        ChatEvent.DeliveryStatus s = (ChatEvent.DeliveryStatus) event;
        // Delivery receipts are bookkeeping, not conversation: the opt-in "system" channel.
        return new EventRecord(seq, s.messageId().value(), s.timestamp(), SYSTEM, null, Direction.OUT.label(),
                null, s.peer().hex(), null, "", null, 0, s.state().label());
    }
}
