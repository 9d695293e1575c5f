package io.skychat.crypto;

import io.skychat.core.PeerKey;
import io.skychat.crypto.HandshakePattern.Token;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.math.ec.ECPoint;

/**
 * One side of a Noise handshake ({@code Noise_XK|KK|XX_Secp256k1_ChaChaPoly_SHA256}) as dmsg runs
 * it. Does no I/O: messages go in and out as raw bytes without the uint16 length prefix. Payloads
 * are always empty, so every message has one exact length. Not thread-safe.
 */
public final class NoiseHandshake {

    private static final int KEY_LENGTH = PeerKey.LENGTH;
    private static final byte[] EMPTY = new byte[0];

    private final HandshakePattern pattern;
    private final boolean initiator;
    private final KeyPair localStatic;
    private final Supplier<KeyPair> ephemerals;
    private final SymmetricState state;

    private KeyPair localEphemeral;
    private PeerKey remoteStatic;
    private ECPoint remoteStaticPoint;
    private ECPoint remoteEphemeralPoint;
    private int messageIndex;
    private boolean failed;
    private boolean split;
    private boolean destroyed;

    private NoiseHandshake(HandshakePattern pattern, boolean initiator, KeyPair localStatic,
                           PeerKey remoteStatic, Supplier<KeyPair> ephemerals) {
        this.pattern = pattern;
        this.initiator = initiator;
        this.localStatic = Objects.requireNonNull(localStatic, "local key pair");
        this.ephemerals = ephemerals;
        boolean remoteKnown = initiator ? pattern.responderStaticKnown() : pattern.initiatorStaticKnown();
        if (remoteKnown) {
            Objects.requireNonNull(remoteStatic, "remote static key");
            this.remoteStaticPoint = Secp256k1.decodeOrNull(remoteStatic.toBytes());
            if (remoteStaticPoint == null) {
                throw new IllegalArgumentException("remote static key " + remoteStatic.hex()
                        + " is not a point on secp256k1");
            }
            this.remoteStatic = remoteStatic;
        } else if (remoteStatic != null) {
            throw new IllegalArgumentException(pattern + " learns the remote static key during the handshake");
        }
        this.state = new SymmetricState(pattern.protocolName());
        state.mixHash(EMPTY); // the empty prologue is still hashed
        if (pattern.initiatorStaticKnown()) {
            state.mixHash(initiator ? localStatic.publicKey().toBytes() : remoteStatic.toBytes());
        }
        if (pattern.responderStaticKnown()) {
            state.mixHash(initiator ? remoteStatic.toBytes() : localStatic.publicKey().toBytes());
        }
    }

    public static NoiseHandshake xkInitiator(KeyPair local, PeerKey remoteStatic) {
        return new NoiseHandshake(HandshakePattern.XK, true, local, remoteStatic, KeyPair::generate);
    }

    public static NoiseHandshake xkResponder(KeyPair local) {
        return new NoiseHandshake(HandshakePattern.XK, false, local, null, KeyPair::generate);
    }

    public static NoiseHandshake kkInitiator(KeyPair local, PeerKey remoteStatic) {
        return new NoiseHandshake(HandshakePattern.KK, true, local, remoteStatic, KeyPair::generate);
    }

    public static NoiseHandshake kkResponder(KeyPair local, PeerKey remoteStatic) {
        return new NoiseHandshake(HandshakePattern.KK, false, local, remoteStatic, KeyPair::generate);
    }

    public static NoiseHandshake xxInitiator(KeyPair local) {
        return new NoiseHandshake(HandshakePattern.XX, true, local, null, KeyPair::generate);
    }

    public static NoiseHandshake xxResponder(KeyPair local) {
        return new NoiseHandshake(HandshakePattern.XX, false, local, null, KeyPair::generate);
    }

    /** For test vectors only: the given ephemeral key instead of a random one. */
    static NoiseHandshake withEphemeral(HandshakePattern pattern, boolean initiator, KeyPair local,
                                        PeerKey remoteStatic, KeyPair ephemeral) {
        Objects.requireNonNull(ephemeral, "ephemeral key pair");
        return new NoiseHandshake(pattern, initiator, local, remoteStatic, () -> ephemeral);
    }

    public boolean isInitiator() {
        return initiator;
    }

    public boolean isComplete() {
        return messageIndex == pattern.messages().size();
    }

    public boolean isMyTurnToWrite() {
        return !failed && !destroyed && !isComplete()
                && HandshakePattern.writtenByInitiator(messageIndex) == initiator;
    }

    public byte[] writeMessage() {
        checkUsable();
        if (!isMyTurnToWrite()) {
            throw new IllegalStateException(isComplete() ? "handshake is already complete"
                    : "handshake expects to read message " + (messageIndex + 1) + ", not write it");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(expectedLength());
        for (Token token : pattern.messages().get(messageIndex)) {
            switch (token) {
                case E -> {
                    localEphemeral = ephemerals.get();
                    byte[] e = localEphemeral.publicKey().toBytes();
                    state.mixHash(e);
                    out.writeBytes(e);
                }
                case S -> out.writeBytes(state.encryptAndHash(localStatic.publicKey().toBytes()));
                default -> mixDh(token);
            }
        }
        out.writeBytes(state.encryptAndHash(EMPTY));
        messageIndex++;
        return out.toByteArray();
    }

    /**
     * Processes the peer's next message. Any malformed, forged or mismatched message raises
     * NoiseException and leaves this handshake unusable.
     */
    public void readMessage(byte[] message) throws NoiseException {
        Objects.requireNonNull(message, "message");
        checkUsable();
        if (isComplete()) {
            throw new IllegalStateException("handshake is already complete");
        }
        if (isMyTurnToWrite()) {
            throw new IllegalStateException("handshake expects to write message " + (messageIndex + 1)
                    + ", not read it");
        }
        int number = messageIndex + 1;
        int expected = expectedLength();
        if (message.length != expected) {
            throw fail("noise handshake message " + number + " must be " + expected + " bytes, got "
                    + message.length);
        }
        try {
            int off = 0;
            for (Token token : pattern.messages().get(messageIndex)) {
                switch (token) {
                    case E -> {
                        byte[] e = Arrays.copyOfRange(message, off, off + KEY_LENGTH);
                        off += KEY_LENGTH;
                        remoteEphemeralPoint = Secp256k1.decodeOrNull(e);
                        if (remoteEphemeralPoint == null) {
                            throw fail("noise handshake message " + number
                                    + ": remote ephemeral key is not a point on secp256k1");
                        }
                        state.mixHash(e);
                    }
                    case S -> {
                        int len = KEY_LENGTH + (state.hasKey() ? ChaChaPoly.TAG_LENGTH : 0);
                        byte[] s = state.decryptAndHash(Arrays.copyOfRange(message, off, off + len));
                        off += len;
                        remoteStaticPoint = Secp256k1.decodeOrNull(s);
                        if (remoteStaticPoint == null) {
                            throw fail("noise handshake message " + number
                                    + ": remote static key is not a point on secp256k1");
                        }
                        remoteStatic = PeerKey.of(s);
                    }
                    default -> mixDh(token);
                }
            }
            state.decryptAndHash(Arrays.copyOfRange(message, off, message.length));
        } catch (InvalidCipherTextException e) {
            throw fail("noise handshake message " + number + " failed authentication"
                    + " (wrong static key, or the message was altered)");
        }
        messageIndex++;
    }

    /** The peer's static key; for an XK responder known only after message 3. */
    public PeerKey remoteStatic() {
        if (remoteStatic == null) {
            throw new IllegalStateException("remote static key is not known yet");
        }
        return remoteStatic;
    }

    /** The final handshake hash h, for channel binding; only once the handshake is complete. */
    public byte[] handshakeHash() {
        if (!isComplete()) {
            throw new IllegalStateException("handshake is not complete");
        }
        return state.handshakeHash();
    }

    /**
     * Derives the transport keys and wipes the handshake secrets; callable once. Follows upstream:
     * the side that wrote the last message sends with k2 (for XK and XX, the initiator).
     */
    public NoiseCipher split() {
        byte[][] keys = splitKeys();
        boolean wroteLast = HandshakePattern.writtenByInitiator(pattern.messages().size() - 1) == initiator;
        try {
            return wroteLast ? new NoiseCipher(keys[1], keys[0]) : new NoiseCipher(keys[0], keys[1]);
        } finally {
            Arrays.fill(keys[0], (byte) 0);
            Arrays.fill(keys[1], (byte) 0);
            split = true;
            wipe();
        }
    }

    /** k1, k2 without consuming the state; split() and the vector tests use it. */
    byte[][] splitKeys() {
        checkUsable();
        if (!isComplete()) {
            throw new IllegalStateException("handshake is not complete");
        }
        if (split) {
            throw new IllegalStateException("transport keys were already derived");
        }
        return state.split();
    }

    /** h at this point of the handshake, for the vector tests. */
    byte[] currentHash() {
        return state.handshakeHash();
    }

    /** ck at this point of the handshake, for the vector tests. */
    byte[] chainingKey() {
        return state.chainingKey();
    }

    public void destroy() {
        destroyed = true;
        wipe();
    }

    private void wipe() {
        if (localEphemeral != null) {
            localEphemeral.destroy();
        }
        state.destroy();
    }

    /** Length of the next message: keys are 33 bytes, plus a 16-byte tag once a key exists. */
    private int expectedLength() {
        boolean keyed = state.hasKey();
        int length = 0;
        for (Token token : pattern.messages().get(messageIndex)) {
            switch (token) {
                case E -> length += KEY_LENGTH;
                case S -> length += KEY_LENGTH + (keyed ? ChaChaPoly.TAG_LENGTH : 0);
                default -> keyed = true;
            }
        }
        return length + (keyed ? ChaChaPoly.TAG_LENGTH : 0);
    }

    private void mixDh(Token token) {
        switch (token) {
            case EE -> state.mixKey(dh(localEphemeral, remoteEphemeralPoint));
            case ES -> state.mixKey(initiator ? dh(localEphemeral, remoteStaticPoint) : dh(localStatic, remoteEphemeralPoint));
            case SE -> state.mixKey(initiator ? dh(localStatic, remoteEphemeralPoint) : dh(localEphemeral, remoteStaticPoint));
            case SS -> state.mixKey(dh(localStatic, remoteStaticPoint));
            default -> throw new IllegalArgumentException(token + " is not a DH token");
        }
    }

    /** Upstream's DH: SHA256(compressed shared point) || 0x00, 33 bytes (DHLEN = 33). */
    private static byte[] dh(KeyPair local, ECPoint remote) {
        byte[] hashed = Secp256k1.sha256(Secp256k1.sharedPoint(local.scalar(), remote));
        byte[] out = Arrays.copyOf(hashed, KEY_LENGTH);
        Arrays.fill(hashed, (byte) 0);
        return out;
    }

    private NoiseException fail(String message) {
        failed = true;
        wipe();
        return new NoiseException(message);
    }

    private void checkUsable() {
        if (destroyed) {
            throw new IllegalStateException("handshake was destroyed");
        }
        if (failed) {
            throw new IllegalStateException("handshake already failed");
        }
    }

    @Override
    public String toString() {
        return "NoiseHandshake[" + pattern.protocolName() + ", " + (initiator ? "initiator" : "responder")
                + ", message " + (messageIndex + 1) + "/" + pattern.messages().size() + "]";
    }
}
