package io.skychat.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One NDJSON line of {@code GET /events}; empty optional fields are left out, as upstream does. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"seq", "id", "ts", "channel", "transport", "dir", "from", "to", "group_id", "text",
        "reply_to_id", "len", "status"})
public record EventLine(
        @JsonProperty("seq") long seq,
        @JsonProperty("id") String id,
        @JsonProperty("ts") String ts,
        @JsonProperty("channel") String channel,
        @JsonProperty("transport") String transport,
        @JsonProperty("dir") String dir,
        @JsonProperty("from") String from,
        @JsonProperty("to") String to,
        @JsonProperty("group_id") String groupId,
        @JsonProperty("text") String text,
        @JsonProperty("reply_to_id") String replyToId,
        @JsonProperty("len") int len,
        @JsonProperty("status") String status) {
}
