package io.skychat.transport.visor;

import io.skychat.core.TransportKind;

/** skynet: routes the visor sets up to other visors, reached through the app server (net type {@code skynet}). */
public final class SkynetTransport extends AppNetTransport {

    public SkynetTransport(VisorSession session, AppNetStats stats) {
        super(session, TransportKind.SKYNET, AppAddr.SKYNET, stats);
    }
}
