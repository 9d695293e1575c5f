package io.skychat.transport.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.support.Fuzz;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The two pure decoders every byte from a peer passes through. Properties: a frame decoder either waits,
 * yields a payload of a legal length, or reports a {@link FrameException}; the envelope decoder never throws
 * and whatever it recognises re-encodes to the same envelope.
 */
class CodecFuzzTests {

    static final long[] SEEDS = Fuzz.SEEDS;

    /**
     * Built on first use, not when the class loads: under JAZZER_FUZZ the classes under test must load after
     * Jazzer's agent, or they are not instrumented and the fuzzer runs blind.
     */
    private static final class Corpus {

        static final List<byte[]> FRAME_CORPUS = new ArrayList<>();
        static final List<byte[]> ENVELOPE_CORPUS = new ArrayList<>();

        static {
            MessageId id = MessageId.parseOrNull("8077ca12ee05c806");
            for (Envelope e : List.of(new Envelope.ChatMsg(id, "hello", true, id), new Envelope.ChatAck(id),
                    new Envelope.ChatRead(id), new Envelope.ChatDelete(id), Envelope.PairControl.INVITE,
                    new Envelope.PlainText("legacy text"), new Envelope.ChatMsg(id, "", false, null))) {
                byte[] payload = EnvelopeCodec.encode(e);
                ENVELOPE_CORPUS.add(payload);
                FRAME_CORPUS.add(ChatFrames.encode(payload));
            }
            ENVELOPE_CORPUS.add("{\"type\":\"chat-msg\",\"id\":\"zz\",\"body\":{\"x\":[1,2]}}".getBytes(StandardCharsets.UTF_8));
            FRAME_CORPUS.add(concat(FRAME_CORPUS.get(0), FRAME_CORPUS.get(1)));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void chatFramesTryDecode(long seed) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(40_000);
        for (int i = 0; i < n; i++) {
            checkFrames(Fuzz.next(Corpus.FRAME_CORPUS, r, 64));
        }
        Fuzz.report("ChatFrames.tryDecode", seed, n);
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void envelopeCodecDecode(long seed) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(20_000);
        for (int i = 0; i < n; i++) {
            checkEnvelope(Fuzz.next(Corpus.ENVELOPE_CORPUS, r, 200));
        }
        Fuzz.report("EnvelopeCodec.decode", seed, n);
    }

    /** Coverage-guided with Jazzer: {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=CodecFuzzTests#frames}. */
    @FuzzTest(maxDuration = "60s")
    void frames(byte[] input) {
        checkFrames(input);
    }

    /** Coverage-guided with Jazzer: {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=CodecFuzzTests#envelopes}. */
    @FuzzTest(maxDuration = "60s")
    void envelopes(byte[] input) {
        checkEnvelope(input);
    }

    static void checkFrames(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        while (true) {
            int before = in.position();
            byte[] payload;
            try {
                payload = ChatFrames.tryDecode(in);
            } catch (FrameException e) {
                long claimed = Integer.toUnsignedLong(in.getInt(before));
                assertThat(claimed == 0 || claimed > ChatFrames.MAX_PAYLOAD).isTrue();
                assertThat(in.position()).isEqualTo(before);
                return;
            }
            if (payload == null) {
                assertThat(in.position()).isEqualTo(before); // waits for more without consuming
                return;
            }
            assertThat(payload.length).isBetween(1, ChatFrames.MAX_PAYLOAD);
            assertThat(in.position()).isEqualTo(before + ChatFrames.HEADER + payload.length);
        }
    }

    static void checkEnvelope(byte[] input) {
        Envelope e = EnvelopeCodec.decode(input);
        assertThat(e).isNotNull();
        if (!(e instanceof Envelope.PlainText)) {
            assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(e))).isEqualTo(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
