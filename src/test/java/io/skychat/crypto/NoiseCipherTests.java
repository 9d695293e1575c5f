package io.skychat.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NoiseCipherTests {

    private static final byte[] KEY_1 = Vectors.unhex("38a1f186e23c442e0532f0e60086e96d910321668af2a497f242f43a4e8bf540");
    private static final byte[] KEY_2 = Vectors.unhex("f6d34dafd63ad82bd2945a2747d60df1dce146f940e294e8a2eaafc253d576fe");

    private final NoiseCipher alice = new NoiseCipher(KEY_2, KEY_1);
    private final NoiseCipher bob = new NoiseCipher(KEY_1, KEY_2);

    @Test
    void constantsMatchUpstream() {
        assertThat(NoiseCipher.MAX_FRAME_LENGTH).isEqualTo(4096 - 2);
        assertThat(NoiseCipher.OVERHEAD).isEqualTo(24);
        assertThat(NoiseCipher.MAX_CHUNK).isEqualTo(4070);
    }

    @Test
    void noncesStartAtOneAndCountUpPerDirection() throws NoiseException {
        for (long expected = 1; expected <= 3; expected++) {
            byte[] frame = alice.seal(new byte[] {(byte) expected});
            assertThat(Arrays.copyOf(frame, 8)).isEqualTo(nonceBytes(expected));
            assertThat(bob.open(frame)).containsExactly((byte) expected);
        }
        assertThat(Arrays.copyOf(bob.seal(new byte[0]), 8)).as("other direction has its own counter")
                .isEqualTo(nonceBytes(1));
    }

    @Test
    void emptyAndFullChunksSeal() throws NoiseException {
        byte[] empty = alice.seal(new byte[0]);
        assertThat(empty).hasSize(24);
        assertThat(bob.open(empty)).isEmpty();

        byte[] full = new byte[NoiseCipher.MAX_CHUNK];
        byte[] frame = alice.seal(full);
        assertThat(frame).hasSize(NoiseCipher.MAX_FRAME_LENGTH);
        assertThat(bob.open(frame)).isEqualTo(full);

        assertThatThrownBy(() -> alice.seal(new byte[NoiseCipher.MAX_CHUNK + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sealHonoursOffsetAndLength() throws NoiseException {
        byte[] buffer = "xxhelloxx".getBytes();
        assertThat(bob.open(alice.seal(buffer, 2, 5))).isEqualTo("hello".getBytes());
        assertThatThrownBy(() -> alice.seal(buffer, 5, 5)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 16, 23})
    void framesShorterThanNonceAndTagAreRejected(int length) {
        assertThatThrownBy(() -> bob.open(new byte[length])).isInstanceOf(NoiseException.class)
                .hasMessage("noise frame of " + length + " bytes is shorter than the 24-byte nonce and tag");
    }

    @Test
    void framesLongerThanUpstreamAcceptsAreRejected() {
        assertThatThrownBy(() -> bob.open(new byte[NoiseCipher.MAX_FRAME_LENGTH + 1]))
                .isInstanceOf(NoiseException.class).hasMessageContaining("exceeds maximum 4094B");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 8, 12, 13, 28})
    void anyAlteredByteFailsAndDoesNotMoveTheNonce(int index) throws NoiseException {
        byte[] frame = alice.seal("hello".getBytes()); // 8 nonce + 5 ciphertext + 16 tag
        byte[] altered = frame.clone();
        altered[index] ^= 0x01;

        // Byte 7 turns nonce 1 into 0, which the nonce check refuses before the MAC is tried.
        assertThatThrownBy(() -> bob.open(altered)).isInstanceOf(NoiseException.class)
                .hasMessageContaining(index == 7 ? "is not larger than previous" : "failed authentication");
        assertThat(bob.open(frame)).as("the genuine frame still opens").isEqualTo("hello".getBytes());
    }

    @Test
    void wrongKeyFails() {
        NoiseCipher stranger = new NoiseCipher(KEY_1, KEY_1);
        assertThatThrownBy(() -> bob.open(stranger.seal(new byte[] {1}))).isInstanceOf(NoiseException.class)
                .hasMessage("noise frame with nonce 1 failed authentication (wrong key, or the frame was altered)");
    }

    @Test
    void gapsAreAcceptedButReplaysAndReorderingAreNot() throws NoiseException {
        byte[] first = alice.seal(new byte[] {1});
        byte[] second = alice.seal(new byte[] {2});
        byte[] third = alice.seal(new byte[] {3});

        assertThat(bob.open(first)).containsExactly(1);
        assertThat(bob.open(third)).containsExactly(3);
        assertThatThrownBy(() -> bob.open(second)).isInstanceOf(NoiseException.class)
                .hasMessage("received decryption nonce (2) is not larger than previous (3)");
        assertThatThrownBy(() -> bob.open(third)).isInstanceOf(NoiseException.class)
                .hasMessage("received decryption nonce (3) is not larger than previous (3)");
    }

    @Test
    void nonceZeroIsNeverValid() {
        assertThatThrownBy(() -> bob.open(new byte[24])).isInstanceOf(NoiseException.class)
                .hasMessage("received decryption nonce (0) is not larger than previous (0)");
    }

    @Test
    void noncesAreUnsigned() {
        byte[] frame = new byte[24];
        Arrays.fill(frame, 0, 8, (byte) 0xff);
        assertThatThrownBy(() -> bob.open(frame)).isInstanceOf(NoiseException.class)
                .hasMessageContaining("nonce 18446744073709551615 failed authentication");
    }

    @Test
    void destroyedCipherRefusesWork() {
        byte[] frame = alice.seal(new byte[] {1});
        alice.destroy();
        bob.destroy();
        assertThatThrownBy(() -> alice.seal(new byte[] {1})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bob.open(frame)).isInstanceOf(IllegalStateException.class);
        alice.destroy(); // idempotent
    }

    @Test
    void prefixAndLengthChecksFollowUpstream() throws NoiseException {
        assertThat(NoiseFraming.prefix(new byte[] {9, 8})).containsExactly(0, 2, 9, 8);
        assertThat(NoiseFraming.prefix(new byte[4094])).startsWith(0x0f, 0xfe);
        assertThatThrownBy(() -> NoiseFraming.prefix(new byte[4095])).isInstanceOf(IllegalArgumentException.class);
        assertThat(NoiseFraming.readLength(new byte[] {0x0f, (byte) 0xfe}, 0)).isEqualTo(4094);
        assertThatThrownBy(() -> NoiseFraming.readLength(new byte[] {0x0f, (byte) 0xff}, 0))
                .isInstanceOf(NoiseException.class).hasMessage("noise prefix value 4095B exceeds maximum 4094B");
        assertThatThrownBy(() -> NoiseFraming.readLength(new byte[] {(byte) 0xff, (byte) 0xff}, 0))
                .isInstanceOf(NoiseException.class).hasMessage("noise prefix value 65535B exceeds maximum 4094B");
    }

    @Test
    void emptyPayloadWritesNoFrames() {
        assertThat(NoiseFraming.sealAll(alice, new byte[0])).isEmpty();
    }

    static Stream<Integer> payloadSizes() {
        Random random = new Random(0x5c7c4a7L);
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, 4069, 4070, 4071, 8140, 8141, 20000));
        while (sizes.size() < 200) {
            sizes.add(random.nextInt(20001));
        }
        return sizes.stream();
    }

    @ParameterizedTest
    @MethodSource("payloadSizes")
    void sealAllRoundTripsInMaxChunkFrames(int size) throws NoiseException {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);

        List<byte[]> frames = NoiseFraming.sealAll(alice, payload);

        assertThat(frames).hasSize((size + NoiseCipher.MAX_CHUNK - 1) / NoiseCipher.MAX_CHUNK);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long nonce = 0;
        for (byte[] frame : frames) {
            assertThat(frame.length).isLessThanOrEqualTo(NoiseFraming.PREFIX_LENGTH + NoiseCipher.MAX_FRAME_LENGTH);
            assertThat(NoiseFraming.readLength(frame, 0)).isEqualTo(frame.length - 2);
            assertThat(Arrays.copyOfRange(frame, 2, 10)).isEqualTo(nonceBytes(++nonce));
            received.writeBytes(bob.open(Arrays.copyOfRange(frame, 2, frame.length)));
        }
        assertThat(received.toByteArray()).isEqualTo(payload);
    }

    /** One thread per direction on the same cipher, as a connection's reader and writer use it. */
    @Test
    void directionsAreIndependentAcrossThreads() throws Exception {
        int count = 2000;
        List<byte[]> toAlice = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            toAlice.add(bob.seal(intBytes(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<byte[]>> sent = pool.submit(() -> {
                List<byte[]> out = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    out.add(alice.seal(intBytes(i)));
                }
                return out;
            });
            Future<Integer> opened = pool.submit(() -> {
                for (int i = 0; i < count; i++) {
                    assertThat(alice.open(toAlice.get(i))).isEqualTo(intBytes(i));
                }
                return count;
            });
            assertThat(opened.get(30, TimeUnit.SECONDS)).isEqualTo(count);
            List<byte[]> fromAlice = sent.get(30, TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                assertThat(bob.open(fromAlice.get(i))).isEqualTo(intBytes(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] nonceBytes(long n) {
        return java.nio.ByteBuffer.allocate(8).putLong(n).array();
    }

    private static byte[] intBytes(int i) {
        return java.nio.ByteBuffer.allocate(4).putInt(i).array();
    }

    @Test
    void openAnyOrderChecksTheTagButNotTheOrderAndLeavesTheReplayCheckAlone() throws NoiseException {
        byte[] one = alice.seal("one".getBytes());
        byte[] two = alice.seal("two".getBytes());
        assertThat(bob.openAnyOrder(two)).isEqualTo("two".getBytes());
        assertThat(bob.openAnyOrder(one)).isEqualTo("one".getBytes());
        assertThat(bob.openAnyOrder(one)).isEqualTo("one".getBytes());
        byte[] altered = two.clone();
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> bob.openAnyOrder(altered)).isInstanceOf(NoiseException.class)
                .hasMessageContaining("failed authentication");
        assertThat(bob.open(one)).as("the ordered check has not moved").isEqualTo("one".getBytes());
    }
}
