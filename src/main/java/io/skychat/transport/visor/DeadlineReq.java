package io.skychat.transport.visor;

import io.skychat.transport.gob.GobValue;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The argument of Set(Read|Write)Deadline; no deadline is Go's zero time, which gob leaves out. */
public record DeadlineReq(int connId, Optional<Instant> deadline) {

    public DeadlineReq {
        AppValues.checkUint16(connId, "connId");
        Objects.requireNonNull(deadline, "deadline");
    }

    GobValue toGob() {
        return GobValue.Struct.builder("DeadlineReq")
                .put("ConnID", AppValues.uint16(connId))
                .put("Deadline", deadline.map(t -> (GobValue) new GobValue.Marshaled("Time", AppValues.goTime(t)))
                        .orElse(null))
                .build();
    }

    static DeadlineReq fromGob(GobValue v) {
        GobValue.Struct s = AppValues.struct(v, "DeadlineReq");
        Optional<Instant> t = s.marshaled("Deadline").map(AppValues::goTime).filter(i -> !AppValues.isGoZeroTime(i));
        return new DeadlineReq(s.uint16("ConnID"), t);
    }
}
