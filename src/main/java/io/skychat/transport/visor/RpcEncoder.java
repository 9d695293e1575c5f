package io.skychat.transport.visor;

import io.skychat.transport.gob.GobStreamEncoder;
import io.skychat.transport.gob.GobType;
import io.skychat.transport.gob.GobValue;
import java.io.ByteArrayOutputStream;

/**
 * One direction of a net/rpc connection: each call is a gob {@code rpc.Request} then the argument, each
 * reply a gob {@code rpc.Response} then the reply, all on one gob stream. Not thread-safe; the caller
 * writes the returned bytes in the order it got them.
 */
public final class RpcEncoder {

    private final GobStreamEncoder gob;

    /** Numbering types from 64, as go1.23 does (any ids work: Go reads the definitions we send). */
    public RpcEncoder() {
        this(new GobStreamEncoder(GobStreamEncoder.FIRST_ID_GO_1_23));
    }

    RpcEncoder(GobStreamEncoder gob) {
        this.gob = gob;
    }

    /** The app side: a call to {@code service} (the proc key hex, or {@code app-visor}). */
    public <A> byte[] call(String service, AppCall<A, ?> call, long seq, A args) {
        return request(call.serviceMethod(service), seq, call.argsType(), call.encodeArgs(args));
    }

    public byte[] request(String serviceMethod, long seq, GobType argsType, GobValue args) {
        GobValue header = GobValue.Struct.builder("Request")
                .put("ServiceMethod", new GobValue.Str(serviceMethod))
                .put("Seq", new GobValue.Uint(seq))
                .build();
        return concat(gob.encode(AppGobTypes.REQUEST, header), gob.encode(argsType, args));
    }

    /** The visor side: a successful reply to call {@code seq}. */
    public <R> byte[] reply(String serviceMethod, long seq, AppCall<?, R> call, R reply) {
        return response(serviceMethod, seq, "", call.replyType(), call.encodeReply(reply));
    }

    /** The visor side: a failed call; as in net/rpc the body is an empty struct, which readers discard. */
    public byte[] errorReply(String serviceMethod, long seq, String error) {
        if (error == null || error.isEmpty()) {
            throw new IllegalArgumentException("an error reply needs the error text");
        }
        return response(serviceMethod, seq, error, AppGobTypes.EMPTY, GobValue.Struct.builder("").build());
    }

    private byte[] response(String serviceMethod, long seq, String error, GobType replyType, GobValue reply) {
        GobValue header = GobValue.Struct.builder("Response")
                .put("ServiceMethod", new GobValue.Str(serviceMethod))
                .put("Seq", new GobValue.Uint(seq))
                .put("Error", new GobValue.Str(error))
                .build();
        return concat(gob.encode(AppGobTypes.RESPONSE, header), gob.encode(replyType, reply));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
