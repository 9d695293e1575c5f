package io.skychat.transport.dmsg;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.SignatureException;
import io.skychat.crypto.Signatures;
import io.skychat.transport.gob.GobException;
import io.skychat.transport.gob.GobStreamDecoder;
import io.skychat.transport.gob.GobValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * dmsg's SignedObject: a 65-byte signature over SHA-256 of the gob object, then the object. The gob comes
 * from a fresh encoder, so each object carries its own type definitions.
 */
final class SignedStreamObject {

    private SignedStreamObject() {
    }

    static byte[] sign(byte[] gob, KeyPair key) {
        byte[] sig = Signatures.sign(gob, key);
        byte[] out = Arrays.copyOf(sig, sig.length + gob.length);
        System.arraycopy(gob, 0, out, sig.length, gob.length);
        return out;
    }

    /** The gob value inside, not yet trusted: the signature is checked once the signer is known. */
    static GobValue.Struct open(byte[] signed) {
        if (signed == null || signed.length <= Signatures.LENGTH) {
            throw new StreamHandshakeException(StreamErrorCode.SIGNED_OBJECT_INVALID,
                    "an object of " + (signed == null ? 0 : signed.length) + " bytes has no room for a body");
        }
        try {
            GobValue v = GobStreamDecoder.decodeObject(Arrays.copyOfRange(signed, Signatures.LENGTH, signed.length));
            if (v instanceof GobValue.Struct s) {
                return s;
            }
            throw GobException.mismatch("the object is not a struct");
        } catch (GobException e) {
            throw new StreamHandshakeException(StreamErrorCode.SIGNED_OBJECT_INVALID, e.getMessage(), e);
        }
    }

    static void verify(byte[] signed, PeerKey signer, StreamErrorCode onFailure) {
        byte[] sig = Arrays.copyOf(signed, Signatures.LENGTH);
        byte[] gob = Arrays.copyOfRange(signed, Signatures.LENGTH, signed.length);
        try {
            Signatures.verify(signer, sig, gob);
        } catch (SignatureException e) {
            throw new StreamHandshakeException(onFailure, e.getMessage(), e);
        }
    }

    /** What a response names its request by: SHA-256 of the whole signed request, signature included. */
    static byte[] hash(byte[] signed) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(signed);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A PubKey field: absent is Go's zero key; bytes that are not a compressed key fail the same check. */
    static PeerKey key(GobValue.Struct addr, StreamErrorCode onInvalid) {
        byte[] raw = addr.marshaled("PK").orElse(null);
        if (raw == null) {
            throw new StreamHandshakeException(onInvalid, "the key is zero");
        }
        try {
            return PeerKey.of(raw);
        } catch (IllegalArgumentException e) {
            throw new StreamHandshakeException(onInvalid, e.getMessage());
        }
    }
}
