package io.skychat.api;

/**
 * What the routes need to know about limits and persistence, copied from configuration at the edge.
 *
 * @param maxMessageBytes largest message {@code POST /message} accepts ({@code --persist-max-size})
 * @param historySeed     history rows replayed to a new SSE subscriber ({@code --persist-seed})
 */
public record ApiSettings(int maxMessageBytes, int historySeed) {

    public ApiSettings {
        if (maxMessageBytes < 1 || historySeed < 0) {
            throw new IllegalArgumentException("api limits must be positive");
        }
    }
}
