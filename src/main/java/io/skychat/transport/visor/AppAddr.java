package io.skychat.transport.visor;

import io.skychat.core.PeerKey;
import io.skychat.transport.gob.GobValue;
import java.util.Objects;

/** Go {@code appnet.Addr}: a network ("skynet" or "dmsg"), a visor's public key and a port on it. */
public record AppAddr(String net, PeerKey pubKey, int port) {

    public static final String SKYNET = "skynet";
    public static final String DMSG = "dmsg";

    public AppAddr {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(pubKey, "pubKey");
        AppValues.checkUint16(port, "port");
    }

    GobValue toGob() {
        return GobValue.Struct.builder("Addr")
                .put("Net", new GobValue.Str(net))
                .put("PubKey", AppValues.pubKey(pubKey))
                .put("Port", AppValues.uint16(port))
                .build();
    }

    static AppAddr fromGob(GobValue v) {
        GobValue.Struct s = AppValues.struct(v, "Addr");
        return new AppAddr(s.string("Net"), AppValues.pubKey(s, "PubKey"), s.uint16("Port"));
    }
}
