package io.skychat.transport.dmsg;

import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseException;
import io.skychat.crypto.NoiseFraming;
import java.util.Arrays;

/**
 * How a signed StreamRequest/StreamResponse travels on a yamux stream: {@code uint16 BE length || uint64 BE
 * nonce || ChaCha20-Poly1305(object) || tag}, sealed with the client-server XK session keys (not the
 * end-to-end KK keys). The session has one nonce counter for all its streams. The object is opaque here.
 */
final class SessionFrames {

    private SessionFrames() {
    }

    /** One frame; the object must fit one noise frame (a StreamRequest is a few hundred bytes). */
    static byte[] seal(NoiseCipher session, byte[] signedObject) {
        if (signedObject.length > NoiseCipher.MAX_CHUNK) {
            throw new IllegalArgumentException("session object of " + signedObject.length + " bytes exceeds "
                    + NoiseCipher.MAX_CHUNK);
        }
        return NoiseFraming.prefix(session.seal(signedObject));
    }

    /** An opened object and how many bytes of the input its frame took. */
    record Opened(byte[] object, int consumed) {
    }

    /**
     * Opens the frame at {@code off}, or returns null until all of it has arrived. Any nonce is accepted, as
     * upstream does: a busy server seals the objects of two streams in one order and may deliver them in the
     * other. The tag is still checked.
     */
    static Opened open(NoiseCipher session, byte[] buf, int off, int len) {
        if (len < NoiseFraming.PREFIX_LENGTH) {
            return null;
        }
        try {
            int length = NoiseFraming.readLength(buf, off);
            if (len - NoiseFraming.PREFIX_LENGTH < length) {
                return null;
            }
            int start = off + NoiseFraming.PREFIX_LENGTH;
            byte[] object = session.openAnyOrder(Arrays.copyOfRange(buf, start, start + length));
            return new Opened(object, NoiseFraming.PREFIX_LENGTH + length);
        } catch (NoiseException e) {
            throw new SessionFrameException(e.getMessage(), e);
        }
    }
}
