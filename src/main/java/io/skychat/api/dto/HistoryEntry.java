package io.skychat.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One row of {@code GET /history}; {@code status} only on outgoing rows. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEntry(
        @JsonProperty("peer") String peer,
        @JsonProperty("from") String from,
        @JsonProperty("outgoing") boolean outgoing,
        @JsonProperty("text") String text,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("id") String id,
        @JsonProperty("reply_to") String replyTo,
        @JsonProperty("status") String status) {
}
