package io.skychat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class EventHubTests {

    private static final PeerKey ALICE = PeerKey.parse("024d9ec5ce7916e124f02b9df2cb802e3c2ce76c982d6bca45f82d62cb51867d66");
    private static final PeerKey BOB = PeerKey.parse("03fe8f6dcb225fc2cc352726fe98bde6c7fec9bc7fe94539874d9717d2cea2a8e3");

    private final ChatCounters counters = new ChatCounters();
    private final EventHub hub = new EventHub(counters);

    private static ChatEvent message(int n) {
        return new ChatEvent.DirectMessage(new MessageId(String.format("%016x", n)), Direction.IN, ALICE, BOB,
                TransportKind.TCP_DIRECT, "m" + n, null, Instant.EPOCH);
    }

    @Test
    void newSubscriberGetsTheLast256ThenLiveEvents() {
        for (int i = 1; i <= 300; i++) {
            hub.publish(message(i));
        }
        StepVerifier.create(hub.subscribe(null).map(ChatEvent::id))
                .expectNext(String.format("%016x", 45))
                .expectNextCount(255)
                .then(() -> hub.publish(message(301)))
                .expectNext(String.format("%016x", 301))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void lastEventIdResumesAfterThatEvent() {
        for (int i = 1; i <= 5; i++) {
            hub.publish(message(i));
        }
        StepVerifier.create(hub.subscribe(String.format("%016x", 3)).map(ChatEvent::id))
                .expectNext(String.format("%016x", 4), String.format("%016x", 5))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aStalledSubscriberLosesOnlyItsOwnEventsAndTheyAreCounted() {
        List<ChatEvent> fast = new java.util.concurrent.CopyOnWriteArrayList<>();
        var fastSub = hub.subscribe(null).subscribe(fast::add);
        // The slow subscriber requests nothing, so its buffer fills at 64.
        StepVerifier.create(hub.subscribe(null), 0)
                .then(() -> {
                    for (int i = 1; i <= 100; i++) {
                        hub.publish(message(i));
                    }
                })
                .thenRequest(200)
                .expectNextCount(EventHub.SUBSCRIBER_BUFFER)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        fastSub.dispose();
        assertThat(fast).hasSize(100);
        assertThat(counters.sseDrops.get()).isEqualTo(100 - EventHub.SUBSCRIBER_BUFFER);
    }
}
