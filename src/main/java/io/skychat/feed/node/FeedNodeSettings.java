package io.skychat.feed.node;

import java.time.Duration;

/**
 * The node's bounds and timers, copied out of Spring properties at the edge.
 *
 * @param heartbeat        a published feed quiet this long is republished (upstream: 45 s)
 * @param pingAfter        a connection silent this long is sent a Ping; null = never (the default: upstream
 *                         {@code conn.go} @1b9f5cbd treats a Ping as an invalid message and closes)
 * @param idleTimeout      a connection silent this long and carrying no subscription is closed (upstream's
 *                         idle watchdog: 90 s)
 * @param handshakeTimeout Syn/Ack must be done within this
 * @param maxFillTime      a fill not complete after this is abandoned (upstream MaxFillingTime: 10 min)
 * @param maxFillObjects   a fill needing more objects than this is abandoned
 * @param maxFillBytes     a fill needing more bytes than this is abandoned
 * @param maxInFlight      object requests outstanding at once per fill
 * @param maxFrame         largest node frame payload read (upstream allows 64 MiB)
 * @param subscriberBuffer leaves buffered for a slow consumer before its subscription fails
 */
public record FeedNodeSettings(Duration heartbeat, Duration pingAfter, Duration idleTimeout, Duration handshakeTimeout,
                               Duration maxFillTime, int maxFillObjects, long maxFillBytes, int maxInFlight,
                               int maxFrame, int subscriberBuffer) {

    public static final FeedNodeSettings DEFAULTS = new FeedNodeSettings(Duration.ofSeconds(45), null,
            Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofMinutes(10), 200_000, 256L << 20, 1024,
            16 << 20, 10_000);

    public FeedNodeSettings {
        if (pingAfter != null && (pingAfter.isNegative() || pingAfter.isZero())) {
            throw new IllegalArgumentException("ping-after must be positive when set");
        }
        for (Duration d : new Duration[] {heartbeat, idleTimeout, handshakeTimeout, maxFillTime}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("feed node durations must be positive");
            }
        }
        if (maxFillObjects < 1 || maxFillBytes < 1 || maxInFlight < 1 || subscriberBuffer < 1) {
            throw new IllegalArgumentException("feed node bounds must be positive");
        }
        if (maxFrame < 9 || maxFrame > io.skychat.feed.wire.NodeFrames.MAX_PAYLOAD) {
            throw new IllegalArgumentException("max frame must lie in 9.." + io.skychat.feed.wire.NodeFrames.MAX_PAYLOAD);
        }
    }

    public FeedNodeSettings withFillBounds(Duration time, int objects, long bytes) {
        return new FeedNodeSettings(heartbeat, pingAfter, idleTimeout, handshakeTimeout, time, objects, bytes,
                maxInFlight, maxFrame, subscriberBuffer);
    }

    public FeedNodeSettings withPingAfter(Duration after) {
        return new FeedNodeSettings(heartbeat, after, idleTimeout, handshakeTimeout, maxFillTime, maxFillObjects,
                maxFillBytes, maxInFlight, maxFrame, subscriberBuffer);
    }

    public FeedNodeSettings withMaxFrame(int max) {
        return new FeedNodeSettings(heartbeat, pingAfter, idleTimeout, handshakeTimeout, maxFillTime, maxFillObjects,
                maxFillBytes, maxInFlight, max, subscriberBuffer);
    }

    public FeedNodeSettings withSubscriberBuffer(int leaves) {
        return new FeedNodeSettings(heartbeat, pingAfter, idleTimeout, handshakeTimeout, maxFillTime, maxFillObjects,
                maxFillBytes, maxInFlight, maxFrame, leaves);
    }
}
