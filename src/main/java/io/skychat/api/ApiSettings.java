package io.skychat.api;

/**
 * What the routes need to know about persistence, copied from configuration at the edge.
 *
 * @param historySeed history rows replayed to a new SSE subscriber ({@code --persist-seed})
 */
public record ApiSettings(int historySeed) {

    public ApiSettings {
        if (historySeed < 0) {
            throw new IllegalArgumentException("the history seed must not be negative");
        }
    }
}
