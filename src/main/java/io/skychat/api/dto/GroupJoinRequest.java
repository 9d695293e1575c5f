package io.skychat.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /group/join}: an invite link ({@code skychat:invite:…}) or an address
 * ({@code skychat://<pk>/<group-id>}) under either name, and an optional note for the admins (≤ 280 characters).
 */
public record GroupJoinRequest(@JsonProperty("invite") String invite, @JsonProperty("address") String address,
                               @JsonProperty("note") String note) {
}
