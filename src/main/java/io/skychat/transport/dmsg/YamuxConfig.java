package io.skychat.transport.dmsg;

import java.time.Duration;

/**
 * yamux settings. dmsg uses hashicorp's DefaultConfig unchanged on both ends ({@link #DMSG}); the window
 * is also the initial one, so windows never grow. The durations are for the adapter's timers.
 */
record YamuxConfig(int acceptBacklog, long maxStreamWindow, Duration keepAliveInterval,
                   Duration connectionWriteTimeout, Duration streamOpenTimeout, Duration streamCloseTimeout) {

    /** The window every stream starts with; yamux's protocol constant. */
    static final long INITIAL_STREAM_WINDOW = 256 * 1024;

    static final YamuxConfig DMSG = new YamuxConfig(256, INITIAL_STREAM_WINDOW, Duration.ofSeconds(30),
            Duration.ofSeconds(10), Duration.ofSeconds(75), Duration.ofMinutes(5));

    YamuxConfig {
        if (acceptBacklog <= 0) {
            throw new IllegalArgumentException("accept backlog must be positive: " + acceptBacklog);
        }
        // Smaller than the initial window would make a conforming peer overrun it.
        if (maxStreamWindow < INITIAL_STREAM_WINDOW || maxStreamWindow > YamuxFrame.MAX_U32) {
            throw new IllegalArgumentException("max stream window must be in [256 KiB, 2^32): " + maxStreamWindow);
        }
        for (Duration d : new Duration[] {keepAliveInterval, connectionWriteTimeout, streamOpenTimeout, streamCloseTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("yamux timeouts must be positive");
            }
        }
    }
}
