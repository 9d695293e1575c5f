package io.skychat.transport.gob;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.skychat.support.Fuzz;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * What a peer controls: every byte of the stream. Mutated recordings (bit flips, truncations, splices)
 * must decode or fail with {@link GobException}; never another exception, never a hang or a huge allocation.
 */
class GobFuzzTests {

    static final long[] SEEDS = Fuzz.SEEDS;

    private static final List<byte[]> CORPUS = List.of(GobVectors.appStream("request"), GobVectors.appStream("response"),
            GobVectors.requestObject(), GobVectors.responseObject());

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void mutatedStreamsFailOnlyWithGobException(long seed) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(20_000);
        int failures = 0;
        for (int i = 0; i < n; i++) {
            byte[] input = Fuzz.next(CORPUS, r, 300);
            if (!decodes(input, r.nextBoolean() ? 1 << 20 : 64)) {
                failures++;
            }
        }
        assertThat(failures).as("mutations that broke the stream").isPositive();
        Fuzz.report("GobStreamDecoder.next", seed, n);
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void truncationsAndSingleBitFlipsFailOnlyWithGobException(long seed) {
        Random r = new Random(seed);
        for (byte[] base : CORPUS) {
            for (int i = 0; i < 200; i++) {
                byte[] b = java.util.Arrays.copyOf(base, r.nextInt(base.length + 1));
                if (b.length > 0) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                decodes(b, GobStreamDecoder.DEFAULT_MAX_MESSAGE);
            }
        }
    }

    /** Coverage-guided with Jazzer: {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=GobFuzzTests#stream}. */
    @FuzzTest(maxDuration = "60s")
    void stream(byte[] input) {
        decodes(input, GobStreamDecoder.DEFAULT_MAX_MESSAGE);
    }

    /** Drains the input; false when it was rejected. Each call to next consumes bytes or stops, so this ends. */
    private static boolean decodes(byte[] input, int limit) {
        GobStreamDecoder decoder = new GobStreamDecoder(limit);
        ByteBuffer in = ByteBuffer.wrap(input);
        try {
            while (decoder.next(in).isPresent()) {
                // each value consumed at least one message
            }
            return true;
        } catch (GobException expected) {
            assertThat(expected.getMessage()).startsWith("gob: ");
            return false;
        }
    }
}
