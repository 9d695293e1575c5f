package io.skychat.crypto;

import static io.skychat.crypto.Vectors.hex;
import static io.skychat.crypto.Vectors.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Everything a noise_*.json vector file pins down, run against our handshake and cipher. Subclasses
 * name the file and pattern and add what only that pattern has.
 */
abstract class NoiseVectorSuite {

    final JsonNode v;
    final HandshakePattern pattern;
    final JsonNode keys;
    final List<JsonNode> steps;

    NoiseVectorSuite(String file, HandshakePattern pattern) {
        this.v = Vectors.load(file);
        this.pattern = pattern;
        this.keys = v.get("keys");
        this.steps = v.get("handshake").get("steps").valueStream().toList();
    }

    /** Both sides, with the vectors' fixed static and ephemeral keys. */
    record Pair(NoiseHandshake initiator, NoiseHandshake responder) {
        NoiseHandshake writerOf(int index) {
            return HandshakePattern.writtenByInitiator(index) ? initiator : responder;
        }

        NoiseHandshake readerOf(int index) {
            return HandshakePattern.writtenByInitiator(index) ? responder : initiator;
        }
    }

    KeyPair key(String role) {
        return KeyPair.fromSecretHex(text(keys, role + "_sk"));
    }

    PeerKey pk(String role) {
        return Vectors.key(keys, role + "_pk");
    }

    Pair vectorPair() {
        return new Pair(
                NoiseHandshake.withEphemeral(pattern, true, key("initiator_static"),
                        pattern.responderStaticKnown() ? pk("responder_static") : null, key("initiator_ephemeral")),
                NoiseHandshake.withEphemeral(pattern, false, key("responder_static"),
                        pattern.initiatorStaticKnown() ? pk("initiator_static") : null, key("responder_ephemeral")));
    }

    /** The same pattern through the public factories, with random ephemeral keys. */
    abstract Pair productionPair(KeyPair initiator, KeyPair responder);

    /** Runs the whole handshake, each message passed straight to the other side. */
    static Pair complete(Pair pair) throws NoiseException {
        for (int i = 0; !pair.initiator().isComplete(); i++) {
            pair.readerOf(i).readMessage(pair.writerOf(i).writeMessage());
        }
        return pair;
    }

    /** Runs the first {@code count} messages and returns the next one, unread. */
    static byte[] messageAfter(Pair pair, int count) throws NoiseException {
        for (int i = 0; i < count; i++) {
            pair.readerOf(i).readMessage(pair.writerOf(i).writeMessage());
        }
        return pair.writerOf(count).writeMessage();
    }

    @Test
    void protocolNameAndStateBeforeTheFirstMessage() {
        Pair pair = vectorPair();
        JsonNode hs = v.get("handshake");

        assertThat(pattern.protocolName()).isEqualTo(text(v, "protocol_name"));
        assertThat(text(v, "prologue_hex")).isEmpty();
        for (NoiseHandshake side : List.of(pair.initiator(), pair.responder())) {
            assertThat(hex(side.chainingKey())).isEqualTo(text(hs, "initial_ck"));
            assertThat(hex(side.currentHash())).isEqualTo(text(hs, "initial_h"));
        }
    }

    @Test
    void dhOutputsAreTheHashedPointFollowedByZero() {
        JsonNode dh = v.get("dh_outputs");
        for (String token : dh.propertyNames()) {
            KeyPair local = key(token.charAt(0) == 'e' ? "initiator_ephemeral" : "initiator_static");
            PeerKey remote = pk(token.charAt(1) == 'e' ? "responder_ephemeral" : "responder_static");
            byte[] expected = Arrays.copyOf(Secp256k1.ecdh(local.secret(), remote), PeerKey.LENGTH);
            assertThat(hex(expected)).as(token).isEqualTo(text(dh, token));
        }
        JsonNode rule = v.get("dh_rule");
        assertThat(text(rule, "dh_output")).isEqualTo(text(rule, "sha256_of_point") + "00").isEqualTo(text(dh, "es"));
    }

    @Test
    void everyHandshakeMessageIsByteExact() throws NoiseException {
        Pair pair = vectorPair();
        assertThat(steps).hasSize(pattern.messages().size());

        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            NoiseHandshake writer = pair.writerOf(i);
            NoiseHandshake reader = pair.readerOf(i);
            assertThat(text(step, "from")).isEqualTo(writer.isInitiator() ? "initiator" : "responder");
            assertThat(step.get("index").asInt()).isEqualTo(i + 1);
            assertThat(text(step, "tokens")).isEqualTo(pattern.messages().get(i).stream()
                    .map(t -> t.name().toLowerCase()).collect(Collectors.joining(", ")));
            assertThat(writer.isMyTurnToWrite()).isTrue();
            assertThat(reader.isMyTurnToWrite()).isFalse();

            byte[] message = writer.writeMessage();
            assertThat(hex(message)).as("message %d", i + 1).isEqualTo(text(step, "message_hex"));
            assertThat(message).hasSize(step.get("message_len").asInt());
            assertThat(hex(NoiseFraming.prefix(message))).isEqualTo(text(step, "wire_hex"));

            reader.readMessage(message);
            for (NoiseHandshake side : List.of(writer, reader)) {
                assertThat(hex(side.currentHash())).as("h after %d", i + 1).isEqualTo(text(step, "h_after"));
                assertThat(hex(side.chainingKey())).as("ck after %d", i + 1).isEqualTo(text(step, "ck_after"));
            }
        }
        assertThat(pair.initiator().isComplete()).isTrue();
        assertThat(pair.responder().isComplete()).isTrue();
    }

    @Test
    void handshakeHashAndLearnedKeys() throws NoiseException {
        Pair pair = complete(vectorPair());

        assertThat(text(v, "handshake_hash")).isEqualTo(text(steps.get(steps.size() - 1), "h_after"));
        assertThat(hex(pair.initiator().handshakeHash())).isEqualTo(text(v, "handshake_hash"));
        assertThat(hex(pair.responder().handshakeHash())).isEqualTo(text(v, "handshake_hash"));
        assertThat(pair.initiator().remoteStatic()).isEqualTo(pk("responder_static"));
        assertThat(pair.responder().remoteStatic()).isEqualTo(pk("initiator_static"));
    }

    @Test
    void splitKeysAndUpstreamOrientation() throws NoiseException {
        Pair pair = complete(vectorPair());
        JsonNode split = v.get("split");
        String lastWriter = text(steps.get(steps.size() - 1), "from");

        byte[][] fromInitiator = pair.initiator().splitKeys();
        byte[][] fromResponder = pair.responder().splitKeys();

        assertThat(hex(fromInitiator[0])).isEqualTo(text(split, "k1")).isEqualTo(hex(fromResponder[0]));
        assertThat(hex(fromInitiator[1])).isEqualTo(text(split, "k2")).isEqualTo(hex(fromResponder[1]));
        assertThat(text(split, "last_handshake_message_written_by")).isEqualTo(lastWriter);
        // Upstream: whoever wrote the last message sends with k2.
        String initiatorSendsWith = lastWriter.equals("initiator") ? "k2" : "k1";
        assertThat(text(split, "initiator_sends_with")).isEqualTo(initiatorSendsWith);
        assertThat(text(split, "initiator_send_key")).isEqualTo(text(split, initiatorSendsWith))
                .isEqualTo(text(split, "responder_recv_key"));
        assertThat(text(split, "responder_send_key")).isEqualTo(text(split, "initiator_recv_key"))
                .isNotEqualTo(text(split, "initiator_send_key"));
    }

    @Test
    void transportFramesBothWaysFragmentationAndReplay() throws NoiseException {
        Pair pair = complete(vectorPair());
        NoiseCipher initiator = pair.initiator().split();
        NoiseCipher responder = pair.responder().split();
        checkFrames(initiator, responder);
    }

    /** The same frames from ciphers keyed straight from the vector's split keys, skipping the handshake. */
    @Test
    void transportFramesFromTheVectorKeysAlone() throws NoiseException {
        JsonNode split = v.get("split");
        NoiseCipher initiator = new NoiseCipher(Vectors.bytes(split, "initiator_send_key"), Vectors.bytes(split, "initiator_recv_key"));
        NoiseCipher responder = new NoiseCipher(Vectors.bytes(split, "responder_send_key"), Vectors.bytes(split, "responder_recv_key"));
        checkFrames(initiator, responder);
    }

    private void checkFrames(NoiseCipher initiator, NoiseCipher responder) throws NoiseException {
        JsonNode split = v.get("split");
        List<JsonNode> frames = v.get("transport_frames").valueStream().toList();
        assertThat(frames).extracting(f -> text(f, "from"))
                .containsExactly("initiator", "initiator", "initiator", "responder", "responder", "responder");
        byte[] firstInitiatorFrame = null;

        for (JsonNode f : frames) {
            boolean fromInitiator = text(f, "from").equals("initiator");
            NoiseCipher sender = fromInitiator ? initiator : responder;
            NoiseCipher receiver = fromInitiator ? responder : initiator;
            assertThat(text(f, "send_key")).isEqualTo(text(split, fromInitiator ? "initiator_send_key" : "responder_send_key"));
            byte[] payload = Vectors.bytes(f, "payload_hex");
            assertThat(payload).hasSize(f.get("payload_len").asInt());

            byte[] wire = NoiseFraming.prefix(sender.seal(payload));

            checkWireFields(f, wire);
            assertThat(receiver.open(Arrays.copyOfRange(wire, 2, wire.length))).isEqualTo(payload);
            if (firstInitiatorFrame == null) {
                firstInitiatorFrame = Arrays.copyOfRange(wire, 2, wire.length);
            }
        }

        JsonNode fragmentation = v.get("fragmentation_example");
        List<JsonNode> expected = fragmentation.get("frames").valueStream().toList();
        byte[] payload = new byte[4071];
        Arrays.fill(payload, (byte) 0x42);

        List<byte[]> wires = NoiseFraming.sealAll(initiator, payload);

        assertThat(wires).hasSize(expected.size()).hasSize(2);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        for (int i = 0; i < wires.size(); i++) {
            checkWireFields(expected.get(i), wires.get(i));
            received.writeBytes(responder.open(Arrays.copyOfRange(wires.get(i), 2, wires.get(i).length)));
        }
        assertThat(wires.get(0)).hasSize(4096);
        assertThat(received.toByteArray()).isEqualTo(payload);

        String upstreamError = text(v.get("replay_check"), "upstream_error");
        assertThat(upstreamError).isEqualTo("received decryption nonce (1) is not larger than previous (5)");
        byte[] replay = firstInitiatorFrame;
        assertThatThrownBy(() -> responder.open(replay)).isInstanceOf(NoiseException.class).hasMessage(upstreamError);
    }

    private static void checkWireFields(JsonNode f, byte[] wire) throws NoiseException {
        String w = hex(wire);
        assertThat(w).as("wire of frame nonce %s", f.get("nonce")).isEqualTo(text(f, "wire_hex"));
        assertThat(wire).hasSize(f.get("wire_len").asInt());
        assertThat(NoiseFraming.readLength(wire, 0)).isEqualTo(wire.length - 2);
        assertThat(w.substring(0, 4)).isEqualTo(text(f, "len_prefix_hex"));
        assertThat(w.substring(4, 20)).isEqualTo(text(f, "explicit_nonce_hex"));
        assertThat(w.substring(20, w.length() - 32)).isEqualTo(text(f, "ciphertext_hex"));
        assertThat(w.substring(w.length() - 32)).isEqualTo(text(f, "tag_hex"));
        assertThat(Long.parseLong(text(f, "explicit_nonce_hex"), 16)).isEqualTo(f.get("nonce").asLong());
        assertThat(hex(ChaChaPoly.nonce(f.get("nonce").asLong()))).isEqualTo(text(f, "aead_nonce_12_hex"));
    }

    @Test
    void productionFactoriesInteroperateWithRandomEphemerals() throws NoiseException {
        Pair pair = complete(productionPair(key("initiator_static"), key("responder_static")));
        NoiseCipher initiator = pair.initiator().split();
        NoiseCipher responder = pair.responder().split();

        assertThat(pair.initiator().handshakeHash()).isEqualTo(pair.responder().handshakeHash())
                .isNotEqualTo(Vectors.bytes(v, "handshake_hash"));
        assertThat(responder.open(initiator.seal(new byte[] {1, 2, 3}))).containsExactly(1, 2, 3);
        assertThat(initiator.open(responder.seal(new byte[] {4}))).containsExactly(4);
    }

    // --- rejections -----------------------------------------------------------------------------

    @Test
    void truncatedOrOverlongMessagesAreRejectedBeforeAnythingElse() throws NoiseException {
        for (int i = 0; i < steps.size(); i++) {
            for (int delta : new int[] {-1, 1}) {
                Pair pair = vectorPair();
                byte[] message = messageAfter(pair, i);
                byte[] wrong = Arrays.copyOf(message, message.length + delta);
                NoiseHandshake reader = pair.readerOf(i);

                assertThatThrownBy(() -> reader.readMessage(wrong)).isInstanceOf(NoiseException.class)
                        .hasMessage("noise handshake message " + (i + 1) + " must be " + message.length
                                + " bytes, got " + wrong.length);
                assertThatThrownBy(() -> reader.readMessage(message))
                        .as("a failed handshake stays failed").isInstanceOf(IllegalStateException.class);
            }
        }
        Pair pair = vectorPair();
        assertThatThrownBy(() -> pair.responder().readMessage(new byte[0])).isInstanceOf(NoiseException.class);
    }

    @Test
    void flippedMacBitIsRejected() throws NoiseException {
        for (int i = 0; i < steps.size(); i++) {
            Pair pair = vectorPair();
            byte[] message = messageAfter(pair, i);
            message[message.length - 1] ^= 0x01;
            NoiseHandshake reader = pair.readerOf(i);

            assertThatThrownBy(() -> reader.readMessage(message)).isInstanceOf(NoiseException.class)
                    .hasMessageContaining("message " + (i + 1) + " failed authentication");
        }
    }

    /** Every message of this pattern is authenticated, so any altered byte must be caught. */
    @Test
    void everyAlteredByteIsRejected() throws NoiseException {
        for (int i = 0; i < steps.size(); i++) {
            byte[] original = Vectors.bytes(steps.get(i), "message_hex");
            for (int b = 0; b < original.length; b++) {
                Pair pair = vectorPair();
                assertThat(messageAfter(pair, i)).isEqualTo(original);
                byte[] altered = original.clone();
                altered[b] ^= 0x01;
                NoiseHandshake reader = pair.readerOf(i);

                assertThatThrownBy(() -> reader.readMessage(altered)).as("message %d byte %d", i + 1, b)
                        .isInstanceOf(NoiseException.class);
            }
        }
    }

    @Test
    void ephemeralKeyOffTheCurveIsRejected() throws NoiseException {
        for (int i = 0; i < steps.size(); i++) {
            if (pattern.messages().get(i).get(0) != HandshakePattern.Token.E) {
                continue;
            }
            for (String bad : List.of("02" + "00".repeat(32), "04" + "11".repeat(32), "02" + "ff".repeat(32))) {
                Pair pair = vectorPair();
                byte[] message = messageAfter(pair, i);
                System.arraycopy(Vectors.unhex(bad), 0, message, 0, PeerKey.LENGTH);
                NoiseHandshake reader = pair.readerOf(i);

                assertThatThrownBy(() -> reader.readMessage(message)).isInstanceOf(NoiseException.class)
                        .hasMessageContaining("remote ephemeral key is not a point on secp256k1");
            }
        }
    }

    @Test
    void turnsAreEnforced() throws NoiseException {
        Pair pair = vectorPair();
        assertThatThrownBy(() -> pair.responder().writeMessage()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pair.initiator().readMessage(new byte[49])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pair.initiator().split()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pair.initiator().handshakeHash()).isInstanceOf(IllegalStateException.class);

        complete(pair);
        assertThat(pair.initiator().isMyTurnToWrite()).isFalse();
        assertThat(pair.responder().isMyTurnToWrite()).isFalse();
        assertThatThrownBy(() -> pair.initiator().writeMessage()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pair.responder().readMessage(new byte[49])).isInstanceOf(IllegalStateException.class);

        pair.initiator().split();
        assertThatThrownBy(() -> pair.initiator().split()).as("split once").isInstanceOf(IllegalStateException.class);
        assertThat(pair.initiator().handshakeHash()).as("h survives split").isEqualTo(Vectors.bytes(v, "handshake_hash"));
        assertThat(pair.initiator().remoteStatic()).isEqualTo(pk("responder_static"));
    }

    @Test
    void destroyWipesTheEphemeralAndStopsTheHandshake() throws NoiseException {
        KeyPair ephemeral = key("initiator_ephemeral");
        NoiseHandshake initiator = NoiseHandshake.withEphemeral(pattern, true, key("initiator_static"),
                pattern.responderStaticKnown() ? pk("responder_static") : null, ephemeral);
        initiator.writeMessage();

        initiator.destroy();

        assertThat(ephemeral.isDestroyed()).isTrue();
        assertThat(initiator.chainingKey()).containsOnly(0);
        assertThatThrownBy(() -> initiator.readMessage(new byte[49])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(initiator::writeMessage).isInstanceOf(IllegalStateException.class);
    }
}
