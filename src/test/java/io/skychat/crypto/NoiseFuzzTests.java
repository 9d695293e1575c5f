package io.skychat.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.skychat.support.Fuzz;
import io.skychat.support.Keys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * What an unauthenticated or half-authenticated peer controls: XK handshake messages 1 and 3 as the
 * responder reads them, and transport frames. Any input that is not the genuine message must fail with
 * {@link NoiseException} (never another exception), and no forged or replayed frame is ever opened.
 */
class NoiseFuzzTests {

    static final long[] SEEDS = Fuzz.SEEDS;

    /**
     * Keys and genuine messages, made on first use rather than when the class loads: under JAZZER_FUZZ the
     * crypto classes must load after Jazzer's agent, or they are not instrumented.
     */
    private static final class Corpus {

        static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
        static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
        /** The responder's ephemeral key is fixed so one genuine message 3 stays valid for every fresh responder. */
        static final String RESPONDER_EPHEMERAL = Keys.CAROL_SK;

        static final List<byte[]> MESSAGE1 = new ArrayList<>();
        static final byte[] TRANSCRIPT_MESSAGE1;
        static final byte[] TRANSCRIPT_MESSAGE3;

        static {
            for (int i = 0; i < 4; i++) {
                MESSAGE1.add(NoiseHandshake.xkInitiator(BOB, ALICE.publicKey()).writeMessage());
            }
            NoiseHandshake initiator = NoiseHandshake.xkInitiator(BOB, ALICE.publicKey());
            TRANSCRIPT_MESSAGE1 = initiator.writeMessage();
            try {
                initiator.readMessage(respondedTo(TRANSCRIPT_MESSAGE1).writeMessage());
            } catch (NoiseException e) {
                throw new IllegalStateException(e);
            }
            TRANSCRIPT_MESSAGE3 = initiator.writeMessage();
        }
    }

    private static NoiseHandshake respondedTo(byte[] message1) {
        NoiseHandshake responder = NoiseHandshake.withEphemeral(HandshakePattern.XK, false, Corpus.ALICE, null,
                KeyPair.fromSecretHex(Corpus.RESPONDER_EPHEMERAL));
        try {
            responder.readMessage(message1);
        } catch (NoiseException e) {
            throw new IllegalStateException(e);
        }
        return responder;
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void xkResponderReadsMessage1(long seed) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(4_000);
        checkMessage1(Corpus.MESSAGE1.get(0)); // the oracle accepts the genuine message
        for (int i = 0; i < n; i++) {
            checkMessage1(Fuzz.next(Corpus.MESSAGE1, r, 120));
        }
        Fuzz.report("NoiseHandshake.readMessage(1)", seed, n);
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void xkResponderReadsMessage3(long seed) {
        Random r = new Random(seed);
        int n = Fuzz.perSeed(2_000);
        checkMessage3(Corpus.TRANSCRIPT_MESSAGE3);
        for (int i = 0; i < n; i++) {
            checkMessage3(Fuzz.next(List.of(Corpus.TRANSCRIPT_MESSAGE3), r, 120));
        }
        Fuzz.report("NoiseHandshake.readMessage(3)", seed, n);
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void noiseCipherOpen(long seed) {
        Random r = new Random(seed);
        byte[][] keys = {new byte[32], new byte[32]};
        r.nextBytes(keys[0]);
        r.nextBytes(keys[1]);
        NoiseCipher sender = new NoiseCipher(keys[0], keys[1]);
        NoiseCipher receiver = new NoiseCipher(keys[1], keys[0]);
        List<byte[]> genuine = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < 64; i++) {
            byte[] plain = new byte[r.nextInt(200)];
            r.nextBytes(plain);
            byte[] frame = sender.seal(plain);
            index.put(HexFormat.of().formatHex(frame), genuine.size());
            genuine.add(frame);
        }
        int n = Fuzz.perSeed(40_000);
        int lastAccepted = -1;
        for (int i = 0; i < n; i++) {
            byte[] input = r.nextInt(50) == 0 && lastAccepted + 1 < genuine.size()
                    ? genuine.get(lastAccepted + 1).clone() : Fuzz.next(genuine, r, 100);
            Integer genuineIndex = index.get(HexFormat.of().formatHex(input));
            try {
                receiver.open(input);
                assertThat(genuineIndex).as("opened a frame nobody sealed").isNotNull();
                assertThat(genuineIndex).as("opened a replayed or reordered frame").isGreaterThan(lastAccepted);
                lastAccepted = genuineIndex;
            } catch (NoiseException rejected) {
                assertThat(genuineIndex == null || genuineIndex <= lastAccepted).as("refused a fresh genuine frame").isTrue();
            }
        }
        assertThat(lastAccepted).isPositive();
        Fuzz.report("NoiseCipher.open", seed, n);
    }

    /** Coverage-guided with Jazzer: {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=NoiseFuzzTests#message1}. */
    @FuzzTest(maxDuration = "60s")
    void message1(byte[] input) {
        checkMessage1(input);
    }

    /** Coverage-guided with Jazzer: {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=NoiseFuzzTests#open}. */
    @FuzzTest(maxDuration = "60s")
    void open(byte[] input) throws Exception {
        NoiseCipher receiver = new NoiseCipher(new byte[32], new byte[32]);
        assertThatThrownBy(() -> receiver.open(input)).isInstanceOf(NoiseException.class);
    }

    static void checkMessage1(byte[] input) {
        NoiseHandshake responder = NoiseHandshake.xkResponder(Corpus.ALICE);
        boolean genuine = Corpus.MESSAGE1.stream().anyMatch(m -> Arrays.equals(m, input));
        try {
            responder.readMessage(input);
            assertThat(genuine).as("accepted a forged message 1").isTrue();
        } catch (NoiseException e) {
            assertThat(genuine).as("refused a genuine message 1").isFalse();
        }
    }

    static void checkMessage3(byte[] input) {
        NoiseHandshake responder = respondedTo(Corpus.TRANSCRIPT_MESSAGE1);
        responder.writeMessage();
        boolean genuine = Arrays.equals(input, Corpus.TRANSCRIPT_MESSAGE3);
        try {
            responder.readMessage(input);
            assertThat(genuine).as("accepted a forged message 3").isTrue();
            assertThat(responder.remoteStatic()).isEqualTo(Corpus.BOB.publicKey());
        } catch (NoiseException e) {
            assertThat(genuine).as("refused the genuine message 3").isFalse();
        }
    }
}
