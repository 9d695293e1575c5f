package io.skychat.transport.visor;

import io.skychat.transport.gob.GobValue;
import java.util.Objects;

/** A decoded net/rpc call: header fields and the argument, still as gob, since its type follows from the method. */
public record RpcRequest(String serviceMethod, long seq, GobValue args) {

    public RpcRequest {
        Objects.requireNonNull(serviceMethod, "serviceMethod");
        Objects.requireNonNull(args, "args");
    }

    /** The part before the last dot: the proc key hex, or {@code app-visor}. */
    public String service() {
        int dot = serviceMethod.lastIndexOf('.');
        return dot < 0 ? "" : serviceMethod.substring(0, dot);
    }

    public String method() {
        return serviceMethod.substring(serviceMethod.lastIndexOf('.') + 1);
    }
}
