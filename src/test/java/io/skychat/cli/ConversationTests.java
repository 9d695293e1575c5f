package io.skychat.cli;

import static io.skychat.support.Keys.ALICE_PK;
import static io.skychat.support.Keys.BOB_PK;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The chat screen's model: one line per message, whatever order the answer and the stream arrive in. */
class ConversationTests {

    private static final Instant T = Instant.parse("2026-11-25T12:00:00Z");
    private final Conversation c = new Conversation(BOB_PK, "bob");

    private static JsonNode out(String id, String text) {
        return Json.tree("{\"dir\":\"out\",\"id\":\"" + id + "\",\"len\":1,\"message\":\"" + text + "\",\"network\":\"tcp-direct\","
                + "\"sender\":\"" + ALICE_PK + "\",\"to\":\"" + BOB_PK + "\"}", "t");
    }

    private static JsonNode in(String from, String id, String text) {
        return Json.tree("{\"dir\":\"in\",\"id\":\"" + id + "\",\"len\":1,\"message\":\"" + text + "\",\"network\":\"tcp-direct\","
                + "\"sender\":\"" + from + "\"}", "t");
    }

    private static JsonNode status(String id, String state) {
        return Json.tree("{\"channel\":\"dm-status\",\"id\":\"" + id + "\",\"peer\":\"" + BOB_PK + "\",\"status\":\"" + state + "\"}", "t");
    }

    private String screen() {
        return String.join("\n", c.render(ZoneOffset.UTC).stream().map(Conversation.Shown::text).toList());
    }

    @Test
    void aSentMessageMovesFromQueuedToReceivedToRead() {
        Conversation.Line line = c.outgoing("hi", T);
        assertThat(screen()).isEqualTo("12:00:00 you: hi  (queued)");
        c.sent(line, "1111111111111111", false);
        assertThat(screen()).endsWith("(sent)");
        c.event(status("1111111111111111", "received"), T);
        assertThat(screen()).endsWith("(received)");
        c.event(status("1111111111111111", "read"), T);
        c.event(status("1111111111111111", "received"), T);
        assertThat(screen()).as("states only move forward").isEqualTo("12:00:00 you: hi  (read)");
    }

    @Test
    void theStreamMayBeFasterThanTheSendAnswer() {
        Conversation.Line line = c.outgoing("hi", T);
        c.event(out("2222222222222222", "hi"), T);
        c.event(status("2222222222222222", "received"), T);
        c.sent(line, "2222222222222222", false);
        assertThat(screen()).isEqualTo("12:00:00 you: hi  (received)");
    }

    @Test
    void aReceiptBeforeTheIdIsKnownIsKept() {
        Conversation.Line line = c.outgoing("hi", T);
        c.event(status("3333333333333333", "received"), T);
        c.sent(line, "3333333333333333", false);
        assertThat(screen()).isEqualTo("12:00:00 you: hi  (received)");
    }

    @Test
    void aFailedSendSaysWhyAndIncomingMessagesShowOnceUnderThePeersName() {
        Conversation.Line line = c.outgoing("anyone?", T);
        c.failed(line, "cannot reach skychat at 127.0.0.1:8001: connection refused");
        String first = c.event(in(BOB_PK, "4444444444444444", "yes\\nhere"), T);
        String replay = c.event(in(BOB_PK, "4444444444444444", "yes\\nhere"), T);
        assertThat(c.event(in(ALICE_PK, "5555555555555555", "not this chat"), T)).isNull();
        assertThat(first).isEqualTo("4444444444444444");
        assertThat(replay).isNull();
        assertThat(screen()).isEqualTo("12:00:00 you: anyone?  (failed: cannot reach skychat at 127.0.0.1:8001: connection refused)\n"
                + "12:00:00 bob: yes\\nhere");
    }

    @Test
    void historyAndItsReplayOnTheStreamAreShownOnce() {
        c.history(new io.skychat.api.dto.HistoryEntry(BOB_PK, ALICE_PK, true, "old", "2026-11-25T11:00:00Z", "6666666666666666", null, "read"));
        c.event(out("6666666666666666", "old"), T);
        assertThat(screen()).isEqualTo("11:00:00 you: old  (read)");
    }
}
