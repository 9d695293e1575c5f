package io.skychat.crypto;

import java.util.List;

/** The three Noise patterns skywire uses. Message i is written by the initiator when i is even. */
enum HandshakePattern {

    /** dmsg client-to-server sessions and TCP-direct: the initiator pins the responder's key. */
    XK(false, true, List.of(
            List.of(Token.E, Token.ES),
            List.of(Token.E, Token.EE),
            List.of(Token.S, Token.SE))),

    /** dmsg client-to-client streams: both sides know each other's key beforehand. */
    KK(true, true, List.of(
            List.of(Token.E, Token.ES, Token.SS),
            List.of(Token.E, Token.EE, Token.SE))),

    /** CXO over TCP: both static keys travel encrypted. */
    XX(false, false, List.of(
            List.of(Token.E),
            List.of(Token.E, Token.EE, Token.S, Token.ES),
            List.of(Token.S, Token.SE)));

    enum Token { E, S, EE, ES, SE, SS }

    private final boolean initiatorStaticKnown;
    private final boolean responderStaticKnown;
    private final List<List<Token>> messages;

    HandshakePattern(boolean initiatorStaticKnown, boolean responderStaticKnown, List<List<Token>> messages) {
        this.initiatorStaticKnown = initiatorStaticKnown;
        this.responderStaticKnown = responderStaticKnown;
        this.messages = messages;
    }

    String protocolName() {
        return "Noise_" + name() + "_Secp256k1_ChaChaPoly_SHA256";
    }

    /** Pre-message "-> s": the responder knows the initiator's static key before the handshake. */
    boolean initiatorStaticKnown() {
        return initiatorStaticKnown;
    }

    /** Pre-message "<- s": the initiator knows the responder's static key before the handshake. */
    boolean responderStaticKnown() {
        return responderStaticKnown;
    }

    List<List<Token>> messages() {
        return messages;
    }

    static boolean writtenByInitiator(int messageIndex) {
        return messageIndex % 2 == 0;
    }
}
