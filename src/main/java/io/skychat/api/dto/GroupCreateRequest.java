package io.skychat.api.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /group}: {@code kind} is public, private or channel; {@code mode} (public or private) is
 * read when {@code kind} is absent, as upstream still accepts it from older clients.
 */
public record GroupCreateRequest(@JsonProperty("name") String name, @JsonProperty("kind") String kind,
                                 @JsonProperty("mode") String mode, @JsonProperty("members") List<String> members) {
}
