package io.skychat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.crypto.KeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load tool's raw baseline on a small scale: a real echo process, real Noise XK on loopback, the
 * service's codecs on both ends. Checks that every message is answered and counted; it times nothing.
 */
class RawBaselineSmokeTests {

    private static RawEchoPeer.Handle echo;

    @BeforeAll
    static void startEcho() throws Exception {
        echo = RawEchoPeer.start(); // one JVM for the class: starting it is most of the cost
    }

    @AfterAll
    static void stopEcho() {
        echo.close();
    }

    @Test
    void everyChatMsgIsAckedSequentiallyAndPipelined() throws Exception {
        try (NoiseFramedPeer one = NoiseFramedPeer.dial(echo.address(), KeyPair.generate(), echo.key());
             NoiseFramedPeer two = NoiseFramedPeer.dial(echo.address(), KeyPair.generate(), echo.key())) {
            assertThat(one.remote()).isEqualTo(echo.key());

            AckedRuns.Result seq = AckedRuns.sequential(one, 100, "hello");
            assertThat(seq.messages()).isEqualTo(100);
            assertThat(seq.latency().count()).isEqualTo(100);
            assertThat(seq.latency().p50()).isPositive();

            AckedRuns.Result pipelined = AckedRuns.pipelined(List.of(one, two), 201, 32, "x".repeat(5000));
            assertThat(pipelined.latency().count()).isEqualTo(201);
            assertThat(pipelined.latency().p50()).isPositive();
        }
    }

    @Test
    void aMessageLargerThanOneNoiseFrameIsReassembled() throws Exception {
        try (NoiseFramedPeer peer = NoiseFramedPeer.dial(echo.address(), KeyPair.generate(), echo.key())) {
            MessageId id = MessageId.random();
            peer.send(new Envelope.ChatMsg(id, "y".repeat(60_000), true, null)); // 15 Noise frames
            assertThat(peer.receive()).isEqualTo(new Envelope.ChatAck(id));
        }
    }
}
