package io.skychat.transport.visor;

import io.skychat.transport.gob.GobValue;
import java.util.Arrays;
import java.util.HexFormat;

/** The argument of Write: bytes for one connection; the visor adds no framing. */
public record WriteReq(int connId, byte[] data) {

    public WriteReq {
        AppValues.checkUint16(connId, "connId");
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    GobValue toGob() {
        return GobValue.Struct.builder("WriteReq")
                .put("ConnID", AppValues.uint16(connId))
                .put("B", new GobValue.Bytes(data))
                .build();
    }

    static WriteReq fromGob(GobValue v) {
        GobValue.Struct s = AppValues.struct(v, "WriteReq");
        return new WriteReq(s.uint16("ConnID"), s.bytes("B"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteReq w && connId == w.connId && Arrays.equals(data, w.data);
    }

    @Override
    public int hashCode() {
        return connId * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "WriteReq[connId=" + connId + ", data=" + HexFormat.of().formatHex(data) + "]";
    }
}
