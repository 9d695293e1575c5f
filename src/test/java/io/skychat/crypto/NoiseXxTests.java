package io.skychat.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** XX (CXO over TCP) has no upstream vector: both sides must agree, and any tampering must fail. */
class NoiseXxTests {

    private final KeyPair alice = KeyPair.deterministic("xx-test-initiator".getBytes(StandardCharsets.UTF_8));
    private final KeyPair bob = KeyPair.deterministic("xx-test-responder".getBytes(StandardCharsets.UTF_8));

    @Test
    void handshakeCompletesWithUpstreamSizesAndBothSidesAgree() throws NoiseException {
        NoiseHandshake initiator = NoiseHandshake.xxInitiator(alice);
        NoiseHandshake responder = NoiseHandshake.xxResponder(bob);
        byte[] name = HandshakePattern.XX.protocolName().getBytes(StandardCharsets.US_ASCII);
        assertThat(HandshakePattern.XX.protocolName()).isEqualTo("Noise_XX_Secp256k1_ChaChaPoly_SHA256");
        assertThat(initiator.chainingKey()).isEqualTo(Secp256k1.sha256(name));
        assertThat(initiator.currentHash()).as("no pre-messages, only the empty prologue")
                .isEqualTo(Secp256k1.sha256(Secp256k1.sha256(name)));

        byte[] m1 = initiator.writeMessage();
        responder.readMessage(m1);
        assertThatThrownBy(responder::remoteStatic).isInstanceOf(IllegalStateException.class);
        byte[] m2 = responder.writeMessage();
        initiator.readMessage(m2);
        assertThat(initiator.remoteStatic()).isEqualTo(bob.publicKey());
        assertThatThrownBy(responder::remoteStatic).isInstanceOf(IllegalStateException.class);
        byte[] m3 = initiator.writeMessage();
        responder.readMessage(m3);

        assertThat(m1).hasSize(33);            // e
        assertThat(m2).hasSize(33 + 49 + 16);  // e, ee, s, es + payload tag
        assertThat(m3).hasSize(49 + 16);       // s, se + payload tag
        assertThat(initiator.isComplete()).isTrue();
        assertThat(responder.isComplete()).isTrue();
        assertThat(responder.remoteStatic()).isEqualTo(alice.publicKey());
        assertThat(initiator.handshakeHash()).isEqualTo(responder.handshakeHash());
        assertThat(initiator.chainingKey()).isEqualTo(responder.chainingKey());
    }

    @Test
    void initiatorWroteLastSoItSendsWithK2() throws NoiseException {
        NoiseHandshake[] pair = completed();
        byte[][] keys = pair[0].splitKeys();
        assertThat(pair[1].splitKeys()).isDeepEqualTo(keys);
        NoiseCipher expectedInitiator = new NoiseCipher(keys[1], keys[0]);
        NoiseCipher expectedResponder = new NoiseCipher(keys[0], keys[1]);

        NoiseCipher initiator = pair[0].split();
        NoiseCipher responder = pair[1].split();

        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(initiator.seal(hello)).isEqualTo(expectedInitiator.seal(hello));
        assertThat(responder.seal(hello)).isEqualTo(expectedResponder.seal(hello));
    }

    @Test
    void framesFlowBothWays() throws NoiseException {
        NoiseHandshake[] pair = completed();
        NoiseCipher initiator = pair[0].split();
        NoiseCipher responder = pair[1].split();

        for (int i = 0; i < 5; i++) {
            byte[] up = ("up " + i).getBytes(StandardCharsets.UTF_8);
            byte[] down = ("down " + i).getBytes(StandardCharsets.UTF_8);
            assertThat(responder.open(initiator.seal(up))).isEqualTo(up);
            assertThat(initiator.open(responder.seal(down))).isEqualTo(down);
        }
        byte[] big = new byte[10_000];
        new Random(7).nextBytes(big);
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        for (byte[] frame : NoiseFraming.sealAll(responder, big)) {
            received.writeBytes(initiator.open(Arrays.copyOfRange(frame, 2, frame.length)));
        }
        assertThat(received.toByteArray()).isEqualTo(big);
    }

    static IntStream message1Bytes() {
        return IntStream.range(0, 33);
    }

    /** Message 1 has no MAC; an altered ephemeral is caught when message 2 fails to decrypt. */
    @ParameterizedTest
    @MethodSource("message1Bytes")
    void alteredMessage1NeverCompletes(int index) {
        NoiseHandshake initiator = NoiseHandshake.xxInitiator(alice);
        NoiseHandshake responder = NoiseHandshake.xxResponder(bob);
        byte[] m1 = initiator.writeMessage();
        m1[index] ^= 0x01;

        assertThatThrownBy(() -> {
            responder.readMessage(m1);
            initiator.readMessage(responder.writeMessage());
        }).isInstanceOf(NoiseException.class);
    }

    static IntStream message2Bytes() {
        return IntStream.range(0, 98);
    }

    @ParameterizedTest
    @MethodSource("message2Bytes")
    void alteredMessage2IsRejectedByTheInitiator(int index) throws NoiseException {
        NoiseHandshake initiator = NoiseHandshake.xxInitiator(alice);
        NoiseHandshake responder = NoiseHandshake.xxResponder(bob);
        responder.readMessage(initiator.writeMessage());
        byte[] m2 = responder.writeMessage();
        m2[index] ^= 0x01;

        assertThatThrownBy(() -> initiator.readMessage(m2)).isInstanceOf(NoiseException.class);
    }

    static IntStream message3Bytes() {
        return IntStream.range(0, 65);
    }

    @ParameterizedTest
    @MethodSource("message3Bytes")
    void alteredMessage3IsRejectedByTheResponder(int index) throws NoiseException {
        NoiseHandshake initiator = NoiseHandshake.xxInitiator(alice);
        NoiseHandshake responder = NoiseHandshake.xxResponder(bob);
        responder.readMessage(initiator.writeMessage());
        initiator.readMessage(responder.writeMessage());
        byte[] m3 = initiator.writeMessage();
        m3[index] ^= 0x01;

        assertThatThrownBy(() -> responder.readMessage(m3)).isInstanceOf(NoiseException.class)
                .hasMessageContaining("message 3 failed authentication");
    }

    @Test
    void wrongLengthsAndOffCurveEphemeralsAreRejected() throws NoiseException {
        NoiseHandshake responder = NoiseHandshake.xxResponder(bob);
        assertThatThrownBy(() -> responder.readMessage(new byte[32])).isInstanceOf(NoiseException.class)
                .hasMessage("noise handshake message 1 must be 33 bytes, got 32");

        NoiseHandshake other = NoiseHandshake.xxResponder(bob);
        byte[] offCurve = Vectors.unhex("02" + "00".repeat(31) + "05");
        assertThatThrownBy(() -> other.readMessage(offCurve)).isInstanceOf(NoiseException.class)
                .hasMessageContaining("not a point on secp256k1");

        NoiseHandshake initiator = NoiseHandshake.xxInitiator(alice);
        NoiseHandshake third = NoiseHandshake.xxResponder(bob);
        third.readMessage(initiator.writeMessage());
        byte[] m2 = third.writeMessage();
        assertThatThrownBy(() -> initiator.readMessage(Arrays.copyOf(m2, 97))).isInstanceOf(NoiseException.class)
                .hasMessage("noise handshake message 2 must be 98 bytes, got 97");
    }

    @Test
    void messagesFromAnotherSessionAreRejected() throws NoiseException {
        NoiseHandshake initiator = NoiseHandshake.xxInitiator(alice);
        NoiseHandshake responder = NoiseHandshake.xxResponder(bob);
        responder.readMessage(initiator.writeMessage());

        NoiseHandshake otherInitiator = NoiseHandshake.xxInitiator(alice);
        NoiseHandshake otherResponder = NoiseHandshake.xxResponder(bob);
        otherResponder.readMessage(otherInitiator.writeMessage());
        byte[] foreign = otherResponder.writeMessage();

        assertThatThrownBy(() -> initiator.readMessage(foreign)).isInstanceOf(NoiseException.class);
    }

    static IntStream seeds() {
        return IntStream.range(0, 10);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomStaticKeysAlwaysAgree(int seed) throws NoiseException {
        Random random = new Random(seed);
        KeyPair a = KeyPair.deterministic(longBytes(random.nextLong()));
        KeyPair b = KeyPair.deterministic(longBytes(random.nextLong()));
        NoiseHandshake initiator = NoiseHandshake.xxInitiator(a);
        NoiseHandshake responder = NoiseHandshake.xxResponder(b);

        responder.readMessage(initiator.writeMessage());
        initiator.readMessage(responder.writeMessage());
        responder.readMessage(initiator.writeMessage());

        assertThat(initiator.remoteStatic()).isEqualTo(b.publicKey());
        assertThat(responder.remoteStatic()).isEqualTo(a.publicKey());
        assertThat(initiator.handshakeHash()).isEqualTo(responder.handshakeHash());
        byte[] payload = new byte[random.nextInt(100)];
        random.nextBytes(payload);
        assertThat(responder.split().open(initiator.split().seal(payload))).isEqualTo(payload);
    }

    private NoiseHandshake[] completed() throws NoiseException {
        NoiseHandshake initiator = NoiseHandshake.xxInitiator(alice);
        NoiseHandshake responder = NoiseHandshake.xxResponder(bob);
        responder.readMessage(initiator.writeMessage());
        initiator.readMessage(responder.writeMessage());
        responder.readMessage(initiator.writeMessage());
        return new NoiseHandshake[] {initiator, responder};
    }

    private static byte[] longBytes(long v) {
        return java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }
}
