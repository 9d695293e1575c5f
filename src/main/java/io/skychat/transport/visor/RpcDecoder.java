package io.skychat.transport.visor;

import io.skychat.transport.gob.GobStreamDecoder;
import io.skychat.transport.gob.GobValue;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Reads one direction of a net/rpc connection: header and body values in pairs, from bytes that may arrive
 * in any pieces. One instance reads either requests (the visor side) or responses (the app side).
 */
public final class RpcDecoder {

    private final GobStreamDecoder gob;
    private GobValue.Struct pendingHeader;

    public RpcDecoder() {
        this(new GobStreamDecoder());
    }

    public RpcDecoder(GobStreamDecoder gob) {
        this.gob = gob;
    }

    /** The next whole call, or empty until its argument has arrived. */
    public Optional<RpcRequest> nextRequest(ByteBuffer in) {
        return nextPair(in, "Request").map(p -> new RpcRequest(p.header().string("ServiceMethod"),
                p.header().uint("Seq"), p.body()));
    }

    /** The next whole reply, or empty until its body has arrived. */
    public Optional<RpcResponse> nextResponse(ByteBuffer in) {
        return nextPair(in, "Response").map(p -> new RpcResponse(p.header().string("ServiceMethod"),
                p.header().uint("Seq"), p.header().string("Error"), p.body()));
    }

    private record Pair(GobValue.Struct header, GobValue body) {
    }

    private Optional<Pair> nextPair(ByteBuffer in, String headerType) {
        if (pendingHeader == null) {
            Optional<GobValue> header = gob.next(in);
            if (header.isEmpty()) {
                return Optional.empty();
            }
            // Matched by shape, not by Go name, which a fork of net/rpc could change.
            pendingHeader = AppValues.struct(header.get(), "rpc." + headerType + " header");
        }
        Optional<GobValue> body = gob.next(in);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        GobValue.Struct header = pendingHeader;
        pendingHeader = null;
        return Optional.of(new Pair(header, body.get()));
    }
}
