package io.skychat.transport.visor;

import io.skychat.transport.gob.GobValue;
import java.util.Objects;
import java.util.Optional;

/** The reply to Write: how many bytes the visor-side connection took, and its I/O error if any. */
public record WriteResp(long n, Optional<RpcIoError> error) {

    public WriteResp {
        Objects.requireNonNull(error, "error");
    }

    GobValue toGob() {
        return GobValue.Struct.builder("WriteResp")
                .put("N", new GobValue.Int(n))
                .put("Err", error.map(RpcIoError::toGob).orElse(null))
                .build();
    }

    static WriteResp fromGob(GobValue v) {
        GobValue.Struct s = AppValues.struct(v, "WriteResp");
        return new WriteResp(s.integer("N"), RpcIoError.fromField(s));
    }
}
