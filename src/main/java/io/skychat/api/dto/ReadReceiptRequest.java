package io.skychat.api.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /read-receipt}: {@code {pk, id}} or {@code {pk, ids[]}}. */
public record ReadReceiptRequest(
        @JsonProperty("pk") String pk,
        @JsonProperty("id") String id,
        @JsonProperty("ids") List<String> ids) {
}
