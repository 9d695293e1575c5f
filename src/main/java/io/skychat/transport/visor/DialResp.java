package io.skychat.transport.visor;

import io.skychat.transport.gob.GobValue;

/** The reply to Dial: the visor's id for the new connection and the local (ephemeral) port it got. */
public record DialResp(int connId, int localPort) {

    public DialResp {
        AppValues.checkUint16(connId, "connId");
        AppValues.checkUint16(localPort, "localPort");
    }

    GobValue toGob() {
        return GobValue.Struct.builder("DialResp")
                .put("ConnID", AppValues.uint16(connId))
                .put("LocalPort", AppValues.uint16(localPort))
                .build();
    }

    static DialResp fromGob(GobValue v) {
        GobValue.Struct s = AppValues.struct(v, "DialResp");
        return new DialResp(s.uint16("ConnID"), s.uint16("LocalPort"));
    }
}
