package io.skychat.transport.visor;

import io.skychat.core.SkychatException;

/** A PROC_CONFIG, Hello or RPC message we cannot use; the message says which field and why. */
public final class AppProtocolException extends SkychatException {

    private static final long serialVersionUID = 1L;

    private AppProtocolException(String type, String message) {
        super(type, message, null);
    }

    static AppProtocolException badProcConfig(String why) {
        return new AppProtocolException("bad-proc-config", "PROC_CONFIG: " + why);
    }

    static AppProtocolException badHello(String why) {
        return new AppProtocolException("protocol-error", "app hello: " + why);
    }

    static AppProtocolException badMessage(String why) {
        return new AppProtocolException("protocol-error", "app rpc: " + why);
    }
}
