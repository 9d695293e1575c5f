package io.skychat.api;

/** The control surface cannot be secured as configured (a bad token or password file); the node must not start. */
public final class AccessSetupException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    AccessSetupException(String message) {
        super(message);
    }

    AccessSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
