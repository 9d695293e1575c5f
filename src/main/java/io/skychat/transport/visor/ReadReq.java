package io.skychat.transport.visor;

import io.skychat.transport.gob.GobValue;

/** The argument of Read: the visor does one read of at most {@code bufLen} bytes (skychat asks for 32768). */
public record ReadReq(int connId, long bufLen) {

    public ReadReq {
        AppValues.checkUint16(connId, "connId");
        if (bufLen < 0) {
            throw new IllegalArgumentException("bufLen " + bufLen);
        }
    }

    GobValue toGob() {
        return GobValue.Struct.builder("ReadReq")
                .put("ConnID", AppValues.uint16(connId))
                .put("BufLen", new GobValue.Int(bufLen))
                .build();
    }

    static ReadReq fromGob(GobValue v) {
        GobValue.Struct s = AppValues.struct(v, "ReadReq");
        long bufLen = s.integer("BufLen");
        if (bufLen < 0) {
            throw AppProtocolException.badMessage("ReadReq.BufLen " + bufLen + " is negative");
        }
        return new ReadReq(s.uint16("ConnID"), bufLen);
    }
}
