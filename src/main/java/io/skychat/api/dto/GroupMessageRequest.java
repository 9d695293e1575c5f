package io.skychat.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /group/{id}/send}. */
public record GroupMessageRequest(@JsonProperty("text") String text) {
}
