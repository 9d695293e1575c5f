package io.skychat.transport.visor;

import io.skychat.transport.gob.GobValue;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/** The reply to Read: what one read returned (possibly less than a message), or the I/O error. */
public record ReadResp(byte[] data, long n, Optional<RpcIoError> error) {

    public ReadResp {
        data = data.clone();
        Objects.requireNonNull(error, "error");
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    GobValue toGob() {
        return GobValue.Struct.builder("ReadResp")
                .put("B", new GobValue.Bytes(data))
                .put("N", new GobValue.Int(n))
                .put("Err", error.map(RpcIoError::toGob).orElse(null))
                .build();
    }

    static ReadResp fromGob(GobValue v) {
        GobValue.Struct s = AppValues.struct(v, "ReadResp");
        return new ReadResp(s.bytes("B"), s.integer("N"), RpcIoError.fromField(s));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadResp r && n == r.n && Arrays.equals(data, r.data) && error.equals(r.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(data), n, error);
    }

    @Override
    public String toString() {
        return "ReadResp[data=" + HexFormat.of().formatHex(data) + ", n=" + n + ", error=" + error + "]";
    }
}
