package io.skychat.crypto;

/**
 * Transport ciphers of the deterministic XK session in noise_xk.json (initiator A, responder S), for tests
 * of what other packages seal with session keys.
 */
public final class XkVectorCiphers {

    /** The two ends after the vector's handshake: the initiator sends with k2, the responder with k1. */
    public record Ends(NoiseCipher initiator, NoiseCipher responder) {
    }

    private XkVectorCiphers() {
    }

    public static Ends session() throws NoiseException {
        var v = Vectors.load("noise_xk.json").get("keys");
        NoiseHandshake initiator = NoiseHandshake.withEphemeral(HandshakePattern.XK, true,
                KeyPair.fromSecretHex(Vectors.text(v, "initiator_static_sk")), Vectors.key(v, "responder_static_pk"),
                KeyPair.fromSecretHex(Vectors.text(v, "initiator_ephemeral_sk")));
        NoiseHandshake responder = NoiseHandshake.withEphemeral(HandshakePattern.XK, false,
                KeyPair.fromSecretHex(Vectors.text(v, "responder_static_sk")), null,
                KeyPair.fromSecretHex(Vectors.text(v, "responder_ephemeral_sk")));
        for (int i = 0; !initiator.isComplete(); i++) {
            boolean byInitiator = HandshakePattern.writtenByInitiator(i);
            (byInitiator ? responder : initiator).readMessage((byInitiator ? initiator : responder).writeMessage());
        }
        return new Ends(initiator.split(), responder.split());
    }
}
