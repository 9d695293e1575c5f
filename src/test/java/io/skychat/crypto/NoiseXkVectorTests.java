package io.skychat.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import org.junit.jupiter.api.Test;

/** noise_xk.json: the dmsg client-to-server session and TCP-direct handshake. */
class NoiseXkVectorTests extends NoiseVectorSuite {

    NoiseXkVectorTests() {
        super("noise_xk.json", HandshakePattern.XK);
    }

    @Override
    Pair productionPair(KeyPair initiator, KeyPair responder) {
        return new Pair(NoiseHandshake.xkInitiator(initiator, responder.publicKey()), NoiseHandshake.xkResponder(responder));
    }

    @Test
    void messageSizesAre49And49And65() throws NoiseException {
        Pair pair = vectorPair();
        assertThat(messageAfter(pair, 0)).hasSize(49);
        pair = vectorPair();
        assertThat(messageAfter(pair, 1)).hasSize(49);
        pair = vectorPair();
        assertThat(messageAfter(pair, 2)).hasSize(65);
    }

    @Test
    void responderLearnsTheInitiatorOnlyFromMessage3() throws NoiseException {
        Pair pair = vectorPair();
        assertThat(pair.initiator().remoteStatic()).isEqualTo(pk("responder_static"));

        messageAfter(pair, 2);
        assertThatThrownBy(() -> pair.responder().remoteStatic())
                .isInstanceOf(IllegalStateException.class).hasMessage("remote static key is not known yet");
    }

    @Test
    void initiatorPinningTheWrongServerKeyFailsAtTheResponder() {
        KeyPair server = key("responder_static");
        PeerKey someoneElse = KeyPair.deterministic("dmsg-vector-seed-B".getBytes()).publicKey();
        Pair pair = new Pair(NoiseHandshake.xkInitiator(key("initiator_static"), someoneElse),
                NoiseHandshake.xkResponder(server));

        byte[] message1 = pair.initiator().writeMessage();

        assertThatThrownBy(() -> pair.responder().readMessage(message1)).isInstanceOf(NoiseException.class)
                .hasMessage("noise handshake message 1 failed authentication (wrong static key, or the message was altered)");
    }

    /** A responder that answers message 1 without holding the pinned key cannot fool the initiator. */
    @Test
    void impostorResponderFailsAtTheInitiator() throws NoiseException {
        KeyPair impostor = KeyPair.generate();
        NoiseHandshake initiator = NoiseHandshake.xkInitiator(key("initiator_static"), pk("responder_static"));
        NoiseHandshake honestResponder = NoiseHandshake.xkResponder(key("responder_static"));
        NoiseHandshake impostorResponder = NoiseHandshake.xkResponder(impostor);
        byte[] message1 = initiator.writeMessage();
        honestResponder.readMessage(message1);
        assertThatThrownBy(() -> impostorResponder.readMessage(message1)).isInstanceOf(NoiseException.class);

        // The impostor replays its own keys into a message 2 built for another initiator.
        NoiseHandshake impostorOwnSession = NoiseHandshake.xkResponder(impostor);
        impostorOwnSession.readMessage(NoiseHandshake.xkInitiator(KeyPair.generate(), impostor.publicKey()).writeMessage());
        byte[] forged = impostorOwnSession.writeMessage();

        assertThatThrownBy(() -> initiator.readMessage(forged)).isInstanceOf(NoiseException.class)
                .hasMessageContaining("message 2 failed authentication");
    }

    @Test
    void pinnedKeyMustBeOnTheCurve() {
        assertThatThrownBy(() -> NoiseHandshake.xkInitiator(key("initiator_static"), PeerKey.parse("02" + "00".repeat(32))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a point on secp256k1");
    }
}
