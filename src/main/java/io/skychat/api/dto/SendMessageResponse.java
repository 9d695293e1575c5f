package io.skychat.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Answer of {@code POST /message}: just {@code id} for a send without waiting, otherwise
 * {@code acked}, {@code ms} and, when not acked, {@code reason}; {@code status} is where the message stood
 * when the answer was given ({@code queued}, {@code sent} or {@code received}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SendMessageResponse(
        @JsonProperty("acked") Boolean acked,
        @JsonProperty("id") String id,
        @JsonProperty("reason") String reason,
        @JsonProperty("ms") Long ms,
        @JsonProperty("network") String network,
        @JsonProperty("status") String status) {
}
