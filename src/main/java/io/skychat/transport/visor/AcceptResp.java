package io.skychat.transport.visor;

import io.skychat.transport.gob.GobValue;
import java.util.Objects;

/** The reply to Accept: who connected, and the connection id (dialed and accepted conns share one counter). */
public record AcceptResp(AppAddr remote, int connId) {

    public AcceptResp {
        Objects.requireNonNull(remote, "remote");
        AppValues.checkUint16(connId, "connId");
    }

    GobValue toGob() {
        return GobValue.Struct.builder("AcceptResp")
                .put("Remote", remote.toGob())
                .put("ConnID", AppValues.uint16(connId))
                .build();
    }

    static AcceptResp fromGob(GobValue v) {
        GobValue.Struct s = AppValues.struct(v, "AcceptResp");
        return new AcceptResp(AppAddr.fromGob(s.struct("Remote").orElseThrow(() ->
                AppProtocolException.badMessage("AcceptResp has no Remote"))), s.uint16("ConnID"));
    }
}
