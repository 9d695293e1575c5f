package io.skychat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class EventStreamTests {

    @Test
    void sseLinesBecomeEventsAtBlankLinesAndCommentsAreSkipped() {
        List<EventStream.SseParser.Event> events = new ArrayList<>();
        EventStream.SseParser p = new EventStream.SseParser(events::add);
        for (String line : new String[] {": connected", "", "id: 8077ca12ee05c806", "data: {\"a\":1}", "",
                ": ping", "", "id:x", "data:first", "data: second", "", "data: no id", ""}) {
            p.line(line);
        }
        assertThat(events).containsExactly(
                new EventStream.SseParser.Event("8077ca12ee05c806", "{\"a\":1}"),
                new EventStream.SseParser.Event("x", "first\nsecond"),
                new EventStream.SseParser.Event(null, "no id"));
    }

    @Test
    void recentIdsForgetTheOldestFirst() {
        RecentIds ids = new RecentIds(2);
        assertThat(ids.firstTime("a")).isTrue();
        assertThat(ids.firstTime("a")).isFalse();
        assertThat(ids.firstTime("b")).isTrue();
        assertThat(ids.firstTime("c")).isTrue();
        assertThat(ids.firstTime("a")).as("evicted").isTrue();
        assertThat(ids.firstTime(null)).isTrue();
        assertThat(ids.firstTime(null)).isTrue();
    }
}
