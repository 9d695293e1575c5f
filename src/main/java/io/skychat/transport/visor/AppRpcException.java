package io.skychat.transport.visor;

import java.time.Duration;

import io.skychat.core.SkychatException;

/**
 * A call to the visor that did not get a usable answer. {@link #visorAnswered()} tells a refusal the visor
 * sent (its error text, the connection is fine) from a call lost with its connection or its deadline.
 */
public final class AppRpcException extends SkychatException {

    private static final long serialVersionUID = 1L;

    private final boolean visorAnswered;

    private AppRpcException(String type, String message, boolean visorAnswered, Throwable cause) {
        super(type, message, cause);
        this.visorAnswered = visorAnswered;
    }

    static AppRpcException refused(String method, String visorError) {
        return new AppRpcException("visor-refused", method + " refused by the visor: " + visorError, true, null);
    }

    static AppRpcException timedOut(String method, Duration deadline) {
        return new AppRpcException("visor-unavailable", method + ": no answer from the visor within "
                + deadline.toMillis() + " ms", false, null);
    }

    static AppRpcException disconnected(String method, String why) {
        return new AppRpcException("visor-unavailable", method + ": connection to the visor lost (" + why + ")",
                false, null);
    }

    /** The visor sent a reply, but one we cannot use for this call: the connection is dropped. */
    static AppRpcException badReply(String method, Throwable cause) {
        return new AppRpcException("protocol-error", method + ": unusable reply from the visor: " + cause.getMessage(),
                false, cause);
    }

    public boolean visorAnswered() {
        return visorAnswered;
    }
}
