package io.skychat.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of the per-peer group routes ({@code members/add|remove|promote|demote}, {@code requests/approve|deny}). */
public record GroupPeerRequest(@JsonProperty("pk") String pk) {
}
