package io.skychat.transport.dmsg;

import io.skychat.core.PeerKey;
import io.skychat.transport.gob.GobType;
import io.skychat.transport.gob.GobValue;
import java.util.Objects;

/** dmsg {@code Addr}: a client's public key and a port on it (chat listens on 1; dialers use 49152 and up). */
public record StreamAddr(PeerKey pk, int port) {

    static final GobType.Marshaler PUB_KEY = new GobType.Marshaler(GobType.Marshaling.BINARY_MARSHALER, "PubKey");
    static final GobType.Struct GOB_TYPE = GobType.Struct.of("Addr",
            new GobType.Field("PK", PUB_KEY), new GobType.Field("Port", GobType.Builtin.UINT));

    public StreamAddr {
        Objects.requireNonNull(pk, "pk");
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("dmsg port " + port + " is outside 1..65535");
        }
    }

    GobValue toGob() {
        return GobValue.Struct.builder("Addr")
                .put("PK", new GobValue.Marshaled("PubKey", pk.toBytes()))
                .put("Port", new GobValue.Uint(port))
                .build();
    }

    @Override
    public String toString() {
        return pk.hex() + ":" + port;
    }
}
