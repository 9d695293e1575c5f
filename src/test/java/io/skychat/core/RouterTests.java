package io.skychat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.skychat.support.Keys;
import org.junit.jupiter.api.Test;

class RouterTests {

    private static final Duration T = Duration.ofSeconds(5);
    private static final PeerKey ALICE = PeerKey.parse(Keys.ALICE_PK);
    private static final PeerKey BOB = PeerKey.parse(Keys.BOB_PK);

    private final MemoryTransport.Net skynet = new MemoryTransport.Net(TransportKind.SKYNET);
    private final MemoryTransport.Net dmsg = new MemoryTransport.Net(TransportKind.DMSG);
    private final MemoryTransport aliceSkynet = skynet.join(ALICE);
    private final MemoryTransport aliceDmsg = dmsg.join(ALICE);
    private final PeerLinks links = new PeerLinks(List.of(aliceSkynet, aliceDmsg));

    {
        skynet.join(BOB);
        dmsg.join(BOB);
        links.start(l -> { });
    }

    /** A clock the test moves by hand. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aNetworkAskedForIsUsedAndMustBeEnabled() {
        Router router = new Router(links, TransportKind.SKYNET, Clock.systemUTC());
        assertThat(router.choose(BOB, TransportKind.DMSG, false)).isEqualTo(TransportKind.DMSG);
        assertThatThrownBy(() -> router.choose(BOB, TransportKind.TCP_DIRECT, false))
                .isInstanceOf(TransportException.class).hasMessageContaining("tcp-direct");
    }

    @Test
    void autoTakesAnOpenLinkElseDmsgAtOnce() {
        Router router = new Router(links, TransportKind.SKYNET, Clock.systemUTC());
        assertThat(router.choose(BOB, null, true)).isEqualTo(TransportKind.DMSG);
        aliceSkynet.dial(BOB, Transport.CHAT_PORT).block(T);
        assertThat(router.choose(BOB, null, true)).isEqualTo(TransportKind.SKYNET);
    }

    @Test
    void theDefaultIsUsedUntilAFallbackIsRememberedForThatPeerForTenMinutes() {
        Hands clock = new Hands();
        Router router = new Router(links, TransportKind.SKYNET, clock);
        assertThat(router.choose(BOB, null, false)).isEqualTo(TransportKind.SKYNET);
        router.fellBack(BOB, TransportKind.SKYNET, TransportKind.DMSG);
        assertThat(router.choose(BOB, null, false)).isEqualTo(TransportKind.DMSG);
        assertThat(router.choose(ALICE, null, false)).isEqualTo(TransportKind.SKYNET); // per peer
        clock.now = clock.now.plus(Duration.ofMinutes(Router.REMEMBER_MINUTES)).plusSeconds(1);
        assertThat(router.choose(BOB, null, false)).isEqualTo(TransportKind.SKYNET);
    }

    @Test
    void reachingThePeerOverTheDefaultAgainForgetsTheFallback() {
        Router router = new Router(links, TransportKind.SKYNET, Clock.systemUTC());
        router.fellBack(BOB, TransportKind.SKYNET, TransportKind.DMSG);
        router.reached(BOB, TransportKind.SKYNET);
        assertThat(router.choose(BOB, null, false)).isEqualTo(TransportKind.SKYNET);
    }
}
