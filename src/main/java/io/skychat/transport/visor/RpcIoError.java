package io.skychat.transport.visor;

import io.skychat.transport.gob.GobValue;
import java.util.Objects;
import java.util.Optional;

/**
 * Go {@code RPCIOErr}: an I/O error of the visor-side connection, carried inside a Read or Write reply
 * (the RPC itself succeeded). Text "EOF" with no flags is the end of the stream.
 */
public record RpcIoError(String text, boolean netError, boolean timeout, boolean temporary) {

    public static final String EOF = "EOF";

    public RpcIoError {
        Objects.requireNonNull(text, "text");
    }

    public boolean isEof() {
        return !netError && EOF.equals(text);
    }

    GobValue toGob() {
        return GobValue.Struct.builder("RPCIOErr")
                .put("Text", new GobValue.Str(text))
                .put("IsNetErr", new GobValue.Bool(netError))
                .put("IsTimeoutErr", new GobValue.Bool(timeout))
                .put("IsTemporaryErr", new GobValue.Bool(temporary))
                .build();
    }

    /** Err is a pointer in Go: absent means no error. */
    static Optional<RpcIoError> fromField(GobValue.Struct reply) {
        return reply.struct("Err").map(e -> new RpcIoError(e.string("Text"), e.bool("IsNetErr"),
                e.bool("IsTimeoutErr"), e.bool("IsTemporaryErr")));
    }
}
