package io.skychat.transport.visor;

import io.skychat.core.TransportKind;

/**
 * dmsg as the visor carries it (net type {@code dmsg}): the visor owns the dmsg sessions for its key, so
 * an app under it never opens its own.
 */
public final class VisorDmsgTransport extends AppNetTransport {

    public VisorDmsgTransport(VisorSession session, AppNetStats stats) {
        super(session, TransportKind.DMSG, AppAddr.DMSG, stats);
    }
}
