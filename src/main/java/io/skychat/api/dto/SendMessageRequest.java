package io.skychat.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /message}. {@code wait_ms} asks to wait for the peer's receipt (clamped 100..60000). */
public record SendMessageRequest(
        @JsonProperty("recipient") String recipient,
        @JsonProperty("message") String message,
        @JsonProperty("network") String network,
        @JsonProperty("wait_ms") Long waitMs,
        @JsonProperty("reply_to") String replyTo) {
}
