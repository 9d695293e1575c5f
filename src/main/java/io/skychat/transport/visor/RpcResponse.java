package io.skychat.transport.visor;

import io.skychat.transport.gob.GobValue;
import java.util.Objects;

/**
 * A decoded net/rpc reply. A non-empty {@code error} is the method's error text and {@code reply} is then an
 * empty struct; I/O errors of Read and Write come back inside a successful reply instead.
 */
public record RpcResponse(String serviceMethod, long seq, String error, GobValue reply) {

    public RpcResponse {
        Objects.requireNonNull(serviceMethod, "serviceMethod");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(reply, "reply");
    }

    public boolean isError() {
        return !error.isEmpty();
    }

    /** The typed reply of the call this answers; fails with the visor's text when the call failed. */
    public <R> R replyOf(AppCall<?, R> call) {
        if (isError()) {
            throw AppProtocolException.badMessage(call.method() + " failed: " + error);
        }
        return call.decodeReply(reply);
    }
}
