package io.skychat.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /session} (JSON or a form with the same field names): the API token, or the
 * {@code --password-file} password. The web UI sends what was typed as both.
 */
public record SignInRequest(
        @JsonProperty("token") String token,
        @JsonProperty("password") String password) {

    @Override
    public String toString() {
        return "SignInRequest[…]";
    }
}
