package io.skychat.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** noise_kk.json: the end-to-end handshake of a dmsg stream between two clients. */
class NoiseKkVectorTests extends NoiseVectorSuite {

    NoiseKkVectorTests() {
        super("noise_kk.json", HandshakePattern.KK);
    }

    @Override
    Pair productionPair(KeyPair initiator, KeyPair responder) {
        return new Pair(NoiseHandshake.kkInitiator(initiator, responder.publicKey()),
                NoiseHandshake.kkResponder(responder, initiator.publicKey()));
    }

    @Test
    void messageSizesAre49And49() throws NoiseException {
        assertThat(messageAfter(vectorPair(), 0)).hasSize(49);
        assertThat(messageAfter(vectorPair(), 1)).hasSize(49);
    }

    @Test
    void responderExpectingAnotherInitiatorRejectsMessage1() {
        KeyPair stranger = KeyPair.generate();
        NoiseHandshake initiator = NoiseHandshake.kkInitiator(stranger, pk("responder_static"));
        NoiseHandshake responder = NoiseHandshake.kkResponder(key("responder_static"), pk("initiator_static"));

        byte[] message1 = initiator.writeMessage();

        assertThatThrownBy(() -> responder.readMessage(message1)).isInstanceOf(NoiseException.class)
                .hasMessageContaining("message 1 failed authentication");
    }

    @Test
    void initiatorDialingTheWrongResponderIsRejected() {
        NoiseHandshake initiator = NoiseHandshake.kkInitiator(key("initiator_static"), KeyPair.generate().publicKey());
        NoiseHandshake responder = NoiseHandshake.kkResponder(key("responder_static"), pk("initiator_static"));

        byte[] message1 = initiator.writeMessage();

        assertThatThrownBy(() -> responder.readMessage(message1)).isInstanceOf(NoiseException.class);
    }

    @Test
    void bothSidesKnowTheirPeerFromTheStart() {
        Pair pair = vectorPair();
        assertThat(pair.initiator().remoteStatic()).isEqualTo(pk("responder_static"));
        assertThat(pair.responder().remoteStatic()).isEqualTo(pk("initiator_static"));
    }
}
