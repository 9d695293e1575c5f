package io.skychat.transport.gob;

import io.skychat.support.VectorFiles;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The gob byte streams the vector files recorded, and helpers to read them back. */
final class GobVectors {

    static final JsonNode APP = VectorFiles.load("app_protocol.json");
    static final JsonNode DMSG = VectorFiles.load("dmsg_stream.json");

    private GobVectors() {
    }

    /** Everything the app wrote after the Hello ("request") or the visor wrote back ("response"). */
    static byte[] appStream(String side) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode e : APP.get("exchanges")) {
            out.writeBytes(VectorFiles.bytes(e.get(side), "hex"));
        }
        return out.toByteArray();
    }

    static byte[] requestObject() {
        return VectorFiles.bytes(DMSG.get("stream_request"), "gob_object_hex");
    }

    static byte[] responseObject() {
        return VectorFiles.bytes(DMSG.get("stream_response"), "gob_object_hex");
    }

    record Decoded(int typeId, GobValue value) {
    }

    /** Every value of a complete stream, with the sender's type id of each. */
    static List<Decoded> decodeAll(GobStreamDecoder decoder, byte[] stream) {
        ByteBuffer in = ByteBuffer.wrap(stream);
        List<Decoded> out = new ArrayList<>();
        while (in.hasRemaining()) {
            GobValue v = decoder.next(in).orElseThrow(() -> new AssertionError("stream ends inside a message"));
            out.add(new Decoded(decoder.lastTypeId(), v));
        }
        return out;
    }

    /** The local schema of a wire type, so what was decoded can be encoded again. */
    static GobType schemaOf(int id, Map<Integer, WireType> types) {
        GobType.Builtin builtin = GobType.Builtin.byId(id);
        if (builtin != null) {
            return builtin;
        }
        WireType t = types.get(id);
        if (t instanceof WireType.StructType s) {
            List<GobType.Field> fields = new ArrayList<>();
            for (WireType.FieldType f : s.fields()) {
                fields.add(new GobType.Field(f.name(), schemaOf(f.typeId(), types)));
            }
            return new GobType.Struct(s.name(), fields);
        }
        if (t instanceof WireType.SliceType s) {
            return new GobType.Slice(s.name(), schemaOf(s.elem(), types));
        }
        if (t instanceof WireType.ArrayType a) {
            return new GobType.Array(a.name(), schemaOf(a.elem(), types), a.length());
        }
        if (t instanceof WireType.MapType m) {
            return new GobType.MapOf(m.name(), schemaOf(m.key(), types), schemaOf(m.elem(), types));
        }
        WireType.MarshalerType m = (WireType.MarshalerType) t;
        return new GobType.Marshaler(m.kind(), m.name());
    }
}
