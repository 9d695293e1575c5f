package io.skychat.crypto;

/** A signature did not verify or could not be parsed; the message says why, in upstream's words. */
public final class SignatureException extends Exception {

    private static final long serialVersionUID = 1L;

    public SignatureException(String message) {
        super(message);
    }
}
