package io.skychat.pairs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.skychat.crypto.KeyPair;
import io.skychat.pair.EpochEnvelope;
import io.skychat.support.Keys;
import org.junit.jupiter.api.Test;

class RatchetTests {

    private static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    private static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    private static final Duration DAY = Duration.ofHours(24);

    /** Sends one message from {@code from} to {@code to}: the announcement first, then the envelope opens. */
    private static boolean deliver(Ratchet from, KeyPair fromId, Ratchet to, Instant now, int rotateAfter) {
        Ratchet.Step step = from.beforeSend(fromId, now, rotateAfter, DAY);
        if (step.announce() != null) {
            to.peerAnnounced(step.announce());
        }
        if (step.epoch() == null) {
            return false;
        }
        EpochEnvelope env = EpochEnvelope.seal(step.epoch(), "x".getBytes());
        assertThat(to.epoch(env.epochHex())).as("receiver knows the epoch").isNotNull();
        assertThat(env.open(to.epoch(env.epochHex()))).isEqualTo("x".getBytes());
        return true;
    }

    @Test
    void alternatingSendersRotateAndEveryMessageStillOpens() {
        Ratchet a = Ratchet.fresh();
        Ratchet b = Ratchet.fresh();
        Instant now = Instant.parse("2026-05-01T00:00:00Z");
        int epochs = 0;
        for (int i = 0; i < 24; i++) {
            epochs += deliver(a, ALICE, b, now, 3) ? 1 : 0;
            epochs += deliver(b, BOB, a, now, 3) ? 1 : 0;
        }
        assertThat(epochs).isEqualTo(47); // only Alice's first message is under the static key
        assertThat(a.generation()).isGreaterThanOrEqualTo(3);
        assertThat(b.generation()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void oneSidedTrafficRotatesToo() {
        Ratchet a = Ratchet.fresh();
        Ratchet b = Ratchet.fresh();
        Instant now = Instant.parse("2026-05-01T00:00:00Z");
        deliver(b, BOB, a, now, 3);
        for (int i = 0; i < 10; i++) {
            assertThat(deliver(a, ALICE, b, now, 3)).isTrue();
        }
        assertThat(a.generation()).isEqualTo(4);
    }

    @Test
    void theStateSurvivesItsJson() {
        Ratchet a = Ratchet.fresh();
        Ratchet b = Ratchet.fresh();
        Instant now = Instant.parse("2026-05-01T00:00:00Z");
        for (int i = 0; i < 7; i++) {
            deliver(a, ALICE, b, now, 3);
            deliver(b, BOB, a, now, 3);
        }
        Ratchet b2 = Ratchet.fromJson(b.toJson());
        assertThat(b2.generation()).isEqualTo(b.generation());
        assertThat(deliver(a, ALICE, b2, now, 3)).isTrue();
        assertThat(deliver(b2, BOB, a, now, 3)).isTrue();
    }

    @Test
    void anAgedEpochRotatesAtTheNextSend() {
        Ratchet a = Ratchet.fresh();
        Ratchet b = Ratchet.fresh();
        Instant now = Instant.parse("2026-05-01T00:00:00Z");
        deliver(b, BOB, a, now, 512);
        deliver(a, ALICE, b, now, 512);
        deliver(a, ALICE, b, now.plus(DAY), 512);
        assertThat(a.generation()).isEqualTo(2);
    }
}
