package io.skychat.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /pair/{pk}/message}. */
public record PairMessageRequest(@JsonProperty("text") String text) {
}
