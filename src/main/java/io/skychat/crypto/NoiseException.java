package io.skychat.crypto;

/**
 * A handshake or transport message was rejected (wrong length, bad point, failed authentication,
 * replayed nonce). The connection it came from must be closed; the message is fit for an operator.
 */
public final class NoiseException extends Exception {

    private static final long serialVersionUID = 1L;

    public NoiseException(String message) {
        super(message);
    }

    public NoiseException(String message, Throwable cause) {
        super(message, cause);
    }
}
