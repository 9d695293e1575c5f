package io.skychat.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /pair}. */
public record PairRequest(@JsonProperty("peer_pk") String peerPk) {
}
