package io.skychat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.skychat.core.ChatCounters;
import io.skychat.core.ChatEvent;
import io.skychat.core.Direction;
import io.skychat.core.EventHub;
import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.core.TransportKind;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

class SseSubscriberTests {

    private static final PeerKey ALICE = PeerKey.parse("024d9ec5ce7916e124f02b9df2cb802e3c2ce76c982d6bca45f82d62cb51867d66");
    private static final PeerKey BOB = PeerKey.parse("03fe8f6dcb225fc2cc352726fe98bde6c7fec9bc7fe94539874d9717d2cea2a8e3");

    private final ChatCounters counters = new ChatCounters();
    private final EventHub hub = new EventHub(counters, Runnable::run);

    private static ChatEvent message(int n) {
        return new ChatEvent.DirectMessage(new MessageId(String.format("%016x", n)), Direction.IN, ALICE, BOB,
                TransportKind.TCP_DIRECT, "m" + n, null, Instant.EPOCH);
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    @Test
    void replayedThenLiveFramesAreUpstreamsSseFramesAndSharedByAllStreams() {
        hub.publish(message(1));
        SseSubscriber a = new SseSubscriber(Runnable::run);
        SseSubscriber b = new SseSubscriber(Runnable::run);
        Disposable ra = hub.register(null, a);
        Disposable rb = hub.register(null, b);
        hub.publish(message(2));
        List<byte[]> fromA = a.frames().take(2).collectList().block(Duration.ofSeconds(5));
        List<byte[]> fromB = b.frames().take(2).collectList().block(Duration.ofSeconds(5));
        assertThat(text(fromA.get(0))).startsWith("id: " + String.format("%016x", 1) + "\ndata: {").endsWith("}\n\n");
        assertThat(text(fromA.get(1))).isEqualTo(StreamController.frame(message(2)));
        assertThat(fromB.get(0)).isSameAs(fromA.get(0));
        assertThat(fromB.get(1)).isSameAs(fromA.get(1));
        ra.dispose();
        rb.dispose();
    }

    @Test
    void aBeatPingsOnlyAStreamThatWasIdleSinceTheLastOne() {
        SseSubscriber s = new SseSubscriber(Runnable::run);
        hub.register(null, s);
        hub.heartbeat(); // idle: ping
        hub.publish(message(1));
        hub.heartbeat(); // it just had an event: no ping
        hub.heartbeat(); // idle again: ping
        StepVerifier.create(s.frames().map(SseSubscriberTests::text).take(3))
                .expectNext(": ping\n\n")
                .assertNext(frame -> assertThat(frame).startsWith("id: "))
                .expectNext(": ping\n\n")
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aStreamThatDoesNotReadLosesEventsPastItsBufferAndTheyAreCounted() {
        SseSubscriber slow = new SseSubscriber(Runnable::run);
        hub.register(null, slow);
        for (int i = 1; i <= 100; i++) {
            hub.publish(message(i));
        }
        hub.heartbeat(); // a full buffer misses the ping too, uncounted
        assertThat(counters.sseDrops.get()).isEqualTo(100 - EventHub.SUBSCRIBER_BUFFER);
        StepVerifier.create(slow.frames().map(SseSubscriberTests::text))
                .expectNextCount(EventHub.SUBSCRIBER_BUFFER - 1)
                .assertNext(last -> assertThat(last).startsWith("id: " + String.format("%016x", EventHub.SUBSCRIBER_BUFFER)))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }
}
