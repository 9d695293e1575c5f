package io.skychat.transport.gob;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one gob stream (one direction of one connection): type definitions are remembered for the life of
 * the stream, values come out as {@link GobValue} trees. Feed it whatever bytes have arrived; it consumes
 * only whole messages and answers empty when the next value needs more bytes. Not thread-safe: one per
 * connection and direction, fed in arrival order.
 */
public final class GobStreamDecoder {

    /** Ids below this are Go's own; a stream may not define them. */
    public static final int FIRST_USER_ID = 64;
    /** Enough for any app-protocol or dmsg message (a Read reply carries at most 32 KiB of chat bytes). */
    public static final int DEFAULT_MAX_MESSAGE = 1 << 20;
    /** Go's decoder refuses messages of a GiB or more; nothing we speak comes near that. */
    static final int MAX_MESSAGE_CAP = 1 << 30;
    static final int MAX_DEPTH = 64;
    static final int MAX_TYPES = 1024;

    private final int maxMessage;
    private final Map<Integer, WireType> types = new HashMap<>();
    private final int[] width = new int[1];
    private int lastTypeId;

    public GobStreamDecoder() {
        this(DEFAULT_MAX_MESSAGE);
    }

    public GobStreamDecoder(int maxMessageBytes) {
        if (maxMessageBytes < 1 || maxMessageBytes > MAX_MESSAGE_CAP) {
            throw new IllegalArgumentException("message limit " + maxMessageBytes + " is outside 1.." + MAX_MESSAGE_CAP);
        }
        this.maxMessage = maxMessageBytes;
    }

    /** Decodes the single value of a self-contained gob object (a fresh encoder's output); extra bytes are an error. */
    public static GobValue decodeObject(byte[] object) {
        GobStreamDecoder decoder = new GobStreamDecoder();
        ByteBuffer in = ByteBuffer.wrap(object);
        GobValue value = decoder.next(in).orElseThrow(() -> GobException.truncated("gob object"));
        if (in.hasRemaining()) {
            throw GobException.malformed(in.remaining() + " bytes follow the value of the gob object");
        }
        return value;
    }

    /** The sender's type id of the value {@link #next} last returned; 0 before the first. */
    public int lastTypeId() {
        return lastTypeId;
    }

    /** The definitions received so far, by the sender's ids. */
    public Map<Integer, WireType> types() {
        return Collections.unmodifiableMap(types);
    }

    /**
     * The next value, consuming its message and any type definitions before it; empty when {@code in} ends
     * before the value's message does (the partial message is left in {@code in}, untouched).
     */
    public Optional<GobValue> next(ByteBuffer in) {
        while (true) {
            int start = in.position();
            long length = peekLength(in);
            if (length < 0 || in.remaining() - width[0] < length) {
                return Optional.empty();
            }
            byte[] message = new byte[(int) length];
            in.position(start + width[0]);
            in.get(message);
            GobReader r = new GobReader(message, 0, message.length);
            int id = r.readTypeId("type id");
            if (id < 0) {
                define(-id, r);
                continue;
            }
            GobValue value = decodeTop(id, r, 0);
            if (r.remaining() != 0) {
                throw GobException.malformed(r.remaining() + " bytes left over after the value of type " + id);
            }
            lastTypeId = id;
            return Optional.of(value);
        }
    }

    private long peekLength(ByteBuffer in) {
        int available = Math.min(in.remaining(), 9);
        byte[] head = new byte[available];
        in.get(in.position(), head);
        long length = GobReader.peekUint(head, 0, available, width);
        if (length < 0) {
            return -1;
        }
        if (length == 0) {
            throw GobException.malformed("empty message");
        }
        if (Long.compareUnsigned(length, maxMessage) > 0) {
            throw GobException.tooLarge("message", length, maxMessage);
        }
        return length;
    }

    private void define(int id, GobReader r) {
        if (id < FIRST_USER_ID) {
            throw GobException.malformed("type id " + id + " is reserved and cannot be defined");
        }
        if (types.containsKey(id)) {
            throw GobException.malformed("type id " + id + " defined twice");
        }
        if (types.size() >= MAX_TYPES) {
            throw GobException.tooLarge("number of type definitions", types.size() + 1L, MAX_TYPES);
        }
        WireType t = WireTypeCodec.read(r, id);
        if (r.remaining() != 0) {
            throw GobException.malformed(r.remaining() + " bytes left over after the definition of type " + id);
        }
        types.put(id, t);
    }

    /** A top-level value: a struct as it is, anything else behind a singleton field delta of 0. */
    private GobValue decodeTop(int id, GobReader r, int depth) {
        if (types.get(id) instanceof WireType.StructType s) {
            return decodeStruct(s, r, depth);
        }
        if (GobType.Builtin.byId(id) == null && !types.containsKey(id)) {
            throw GobException.unknownType(id);
        }
        if (r.readUint("singleton delta") != 0) {
            throw GobException.malformed("non-zero delta before a non-struct value");
        }
        return decodeValue(id, r, depth);
    }

    private GobValue decodeValue(int id, GobReader r, int depth) {
        if (depth > MAX_DEPTH) {
            throw GobException.tooLarge("nesting depth", depth, MAX_DEPTH);
        }
        GobType.Builtin builtin = GobType.Builtin.byId(id);
        if (builtin != null) {
            return decodeBuiltin(builtin, r, depth);
        }
        WireType t = types.get(id);
        if (t == null) {
            throw GobException.unknownType(id);
        }
        if (t instanceof WireType.StructType s) {
            return decodeStruct(s, r, depth);
        }
        if (t instanceof WireType.SliceType s) {
            int n = r.readCount("slice length", 1);
            return new GobValue.Sequence(elements(s.elem(), n, r, depth));
        }
        if (t instanceof WireType.ArrayType a) {
            int n = r.readCount("array length", 1);
            if (n != a.length()) {
                throw GobException.malformed("array " + a.name() + " has " + n + " elements, its type says " + a.length());
            }
            return new GobValue.Sequence(elements(a.elem(), n, r, depth));
        }
        if (t instanceof WireType.MapType m) {
            int n = r.readCount("map size", 2);
            List<GobValue.Entry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                GobValue key = decodeValue(m.key(), r, depth + 1);
                entries.add(new GobValue.Entry(key, decodeValue(m.elem(), r, depth + 1)));
            }
            return new GobValue.MapOf(entries);
        }
        WireType.MarshalerType m = (WireType.MarshalerType) t;
        return new GobValue.Marshaled(m.name(), r.readBytes(m.name()));
    }

    private List<GobValue> elements(int elem, int n, GobReader r, int depth) {
        List<GobValue> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(decodeValue(elem, r, depth + 1));
        }
        return out;
    }

    private GobValue decodeBuiltin(GobType.Builtin b, GobReader r, int depth) {
        switch (b) {
            case BOOL:
                return new GobValue.Bool(r.readUint("bool") != 0);
            case INT:
                return new GobValue.Int(r.readInt("int"));
            case UINT:
                return new GobValue.Uint(r.readUint("uint"));
            case FLOAT:
                return new GobValue.Float(floatOf(r.readUint("float")));
            case BYTES:
                return new GobValue.Bytes(r.readBytes("byte slice"));
            case STRING:
                return new GobValue.Str(new String(r.readBytes("string"), StandardCharsets.UTF_8));
            case COMPLEX:
                return new GobValue.Complex(floatOf(r.readUint("complex")), floatOf(r.readUint("complex")));
            default:
                return decodeInterface(r, depth);
        }
    }

    /** Go sends floats as their IEEE bits byte-reversed, so small exponents make short uints. */
    static double floatOf(long reversedBits) {
        return Double.longBitsToDouble(Long.reverseBytes(reversedBits));
    }

    /** Name, concrete type id, then the value as its own length-delimited top-level value. */
    private GobValue decodeInterface(GobReader r, int depth) {
        String name = new String(r.readBytes("interface type name"), StandardCharsets.UTF_8);
        if (name.isEmpty()) {
            return new GobValue.Interface("", null);
        }
        int id = r.readTypeId("interface concrete type id");
        if (id <= 0) {
            throw GobException.malformed("interface value of " + name + " carries type id " + id
                    + " (definitions inside interface values are not supported)");
        }
        int length = r.readCount("interface value length", 1);
        GobReader inner = new GobReader(r.slice(length), 0, length);
        GobValue value = decodeTop(id, inner, depth + 1);
        if (inner.remaining() != 0) {
            throw GobException.malformed("interface value of " + name + " has " + inner.remaining() + " extra bytes");
        }
        return new GobValue.Interface(name, value);
    }

    private GobValue.Struct decodeStruct(WireType.StructType s, GobReader r, int depth) {
        if (depth > MAX_DEPTH) {
            throw GobException.tooLarge("nesting depth", depth, MAX_DEPTH);
        }
        Map<String, GobValue> fields = new LinkedHashMap<>();
        List<WireType.FieldType> wire = s.fields();
        int field = -1;
        while (true) {
            long delta = r.readUint("field delta of " + s.name());
            if (delta == 0) {
                return new GobValue.Struct(s.name(), fields);
            }
            if (Long.compareUnsigned(delta, wire.size() - 1 - field) > 0) {
                throw GobException.malformed("field number out of range in " + s.name());
            }
            field += (int) delta;
            WireType.FieldType f = wire.get(field);
            fields.put(f.name(), decodeValue(f.typeId(), r, depth + 1));
        }
    }
}
