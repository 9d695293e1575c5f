package io.skychat.cli;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.BOB_PK;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.List;

import io.skychat.api.dto.SendMessageResponse;
import io.skychat.api.dto.StatusResponse;
import io.skychat.core.PeerKey;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each verb's output, from JSON samples in the shapes the service sends. */
class OutputFormatTests {

    private static final PeerKey BOB = PeerKey.parse(BOB_PK);

    @Test
    void sendSaysAckedWithTimeAndIdOrJustSent() {
        assertThat(SendVerb.describe(BOB, new SendMessageResponse(true, "8077ca12ee05c806", null, 42L, "tcp-direct", "received"), null))
                .isEqualTo("Acked by " + BOB_PK + " in 42ms (id=8077ca12ee05c806)");
        assertThat(SendVerb.describe(BOB, new SendMessageResponse(null, "8077ca12ee05c806", null, null, "dmsg", "sent"), null))
                .isEqualTo("Message sent to " + BOB_PK + " via dmsg");
        assertThat(SendVerb.describe(BOB, new SendMessageResponse(null, "8077ca12ee05c806", null, null, null, null), "skynet"))
                .isEqualTo("Message sent to " + BOB_PK + " via skynet");
        assertThat(SendVerb.describe(BOB, new SendMessageResponse(null, "8077ca12ee05c806", null, null, "tcp-direct", "queued"), null))
                .isEqualTo("Message queued for " + BOB_PK + " via tcp-direct (id=8077ca12ee05c806): no open link yet;"
                        + " the node keeps trying until it is delivered");
    }

    @Test
    void onlyTransportFailuresAreRetried() {
        assertThat(SendVerb.retryable(502)).isTrue();
        assertThat(SendVerb.retryable(503)).isTrue();
        assertThat(SendVerb.retryable(504)).as("a missing ack is not retried").isFalse();
        assertThat(SendVerb.retryable(400)).isFalse();
        assertThat(SendVerb.retryable(200)).isFalse();
    }

    @Test
    void verboseShowsTheCountersThatMoved() {
        JsonNode before = Json.tree("{\"outbound_msg_count\":3,\"inbound_msg_count\":1,\"app_uptime_sec\":5,\"visor_pk\":\"x\"}", "t");
        JsonNode after = Json.tree("{\"outbound_msg_count\":4,\"inbound_msg_count\":1,\"app_uptime_sec\":9,\"visor_pk\":\"x\"}", "t");
        assertThat(SendVerb.deltas(before, after)).isEqualTo("outbound_msg_count 3→4 (+1)");
        assertThat(SendVerb.deltas(before, before)).isEqualTo("no change");
    }

    @Test
    void listenPrintsSenderNetworkAndOneLineBodies() {
        String data = "{\"dir\":\"in\",\"id\":\"8077ca12ee05c806\",\"len\":12,\"message\":\"two\\nlines\\u001b[2J\","
                + "\"network\":\"dmsg\",\"sender\":\"" + ALICE_PK + "\"}";
        JsonNode event = Json.tree(data, "t");
        assertThat(ListenVerb.format(event, data, ListenVerb.Mode.HUMAN))
                .isEqualTo("[" + ALICE_PK + "/dmsg] two\\nlines\\u001b[2J");
        assertThat(ListenVerb.format(event, data, ListenVerb.Mode.RAW)).isEqualTo("two\\nlines\\u001b[2J");
        assertThat(ListenVerb.format(event, data, ListenVerb.Mode.JSON)).isEqualTo(data);
    }

    @Test
    void listenFiltersBySenderAndNetworkAndSkipsStatusEvents() {
        JsonNode dm = Json.tree("{\"dir\":\"in\",\"id\":\"a\",\"message\":\"m\",\"network\":\"dmsg\",\"sender\":\"" + ALICE_PK + "\"}", "t");
        JsonNode status = Json.tree("{\"channel\":\"dm-status\",\"id\":\"a\",\"peer\":\"" + ALICE_PK + "\",\"status\":\"read\"}", "t");
        assertThat(new ListenVerb.Filter(null, null).admits(dm)).isTrue();
        assertThat(new ListenVerb.Filter(ALICE_PK, "dmsg").admits(dm)).isTrue();
        assertThat(new ListenVerb.Filter(BOB_PK, null).admits(dm)).isFalse();
        assertThat(new ListenVerb.Filter(null, "skynet").admits(dm)).isFalse();
        assertThat(new ListenVerb.Filter(null, null).admits(status)).isFalse();
    }

    @Test
    void historyRowsAsTimeDirectionPeerAndText() {
        JsonNode row = Json.tree("{\"peer\":\"" + BOB_PK + "\",\"from\":\"" + ALICE_PK + "\",\"outgoing\":true,"
                + "\"text\":\"hi\\nbob\",\"timestamp\":\"2026-11-25T12:00:01Z\",\"id\":\"8077ca12ee05c806\","
                + "\"reply_to\":\"\",\"status\":\"received\"}", "t");
        io.skychat.api.dto.HistoryEntry e = Json.MAPPER.treeToValue(row, io.skychat.api.dto.HistoryEntry.class);
        assertThat(HistoryVerb.format(e)).isEqualTo("2026-11-25T12:00:01Z [out @ " + BOB_PK + "] hi\\nbob");
        JsonNode in = Json.tree("{\"peer\":\"" + BOB_PK + "\",\"from\":\"" + BOB_PK + "\",\"outgoing\":false,"
                + "\"text\":\"yo\",\"timestamp\":\"2026-11-25T12:00:02Z\",\"id\":\"9077ca12ee05c806\"}", "t");
        assertThat(HistoryVerb.format(Json.MAPPER.treeToValue(in, io.skychat.api.dto.HistoryEntry.class)))
                .isEqualTo("2026-11-25T12:00:02Z [in @ " + BOB_PK + "] yo");
    }

    @Test
    void eventsAsClockSeqChannelDirectionAndKeys() {
        JsonNode line = Json.tree("{\"seq\":1042,\"id\":\"8077ca12ee05c806\",\"ts\":\"2026-11-25T15:04:05.123Z\","
                + "\"channel\":\"dm\",\"transport\":\"tcp-direct\",\"dir\":\"out\",\"from\":\"" + ALICE_PK + "\","
                + "\"to\":\"" + BOB_PK + "\",\"group_id\":\"\",\"text\":\"hello\",\"reply_to_id\":\"\",\"len\":5}", "t");
        io.skychat.api.dto.EventLine e = Json.MAPPER.treeToValue(line, io.skychat.api.dto.EventLine.class);
        assertThat(EventsVerb.format(e, ZoneOffset.UTC))
                .isEqualTo("[15:04:05] #1042 dm     out 024d9ec5…→03fe8f6d…  hello");
        JsonNode group = Json.tree("{\"seq\":7,\"id\":\"x\",\"ts\":\"2026-11-25T15:04:05Z\",\"channel\":\"group\","
                + "\"dir\":\"in\",\"from\":\"" + BOB_PK + "\",\"group_id\":\"ops\",\"text\":\"t\",\"len\":1}", "t");
        assertThat(EventsVerb.format(Json.MAPPER.treeToValue(group, io.skychat.api.dto.EventLine.class), ZoneOffset.ofHours(2)))
                .isEqualTo("[17:04:05] #7 group:ops in  03fe8f6d…  t");
    }

    @Test
    void statusSummary() {
        StatusResponse s = new StatusResponse(ALICE_PK, 2, 1, List.of(BOB_PK), false, false, 1, "v1", 3723, 5, 4, 0, 1,
                2, 0, 0, 0, "2026-11-25T12:00:00Z", "", List.of(), 2, 100, 0, 0, 0);
        String text = StatusVerb.format(s, "127.0.0.1:8001");
        assertThat(text).contains("skychat at 127.0.0.1:8001")
                .contains("identity     " + ALICE_PK)
                .contains("uptime       1h2m3s")
                .contains("links        1 (" + BOB_PK + ")")
                .contains("messages in  5 (dropped 0, not kept in history 0), last 2026-11-25T12:00:00Z")
                .contains("messages out 4 (failed 1, retried 2, fell back 0), last never")
                .contains("sse          2 subscribers, 0 dropped")
                .contains("persistence  off, pairing off");
    }

    @Test
    void controlCharactersNeverReachTheTerminal() {
        assertThat(TerminalText.escape("a\r\nb\tc\u0007\u009b")).isEqualTo("a\\r\\nb\\tc\\u0007\\u009b");
        assertThat(TerminalText.escape("héllo ✓")).isEqualTo("héllo ✓");
        assertThat(TerminalText.shortKey(ALICE_PK)).isEqualTo("024d9ec5…");
    }
}
