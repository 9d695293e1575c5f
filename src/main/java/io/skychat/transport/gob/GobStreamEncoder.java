package io.skychat.transport.gob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one gob stream: before a type's first value it sends that type's definition (and those of the
 * types inside it), numbering types in first-use order as a fresh Go process does, so the output matches
 * Go's byte for byte. Not thread-safe: one per connection and direction, used in write order.
 */
public final class GobStreamEncoder {

    /** Where go1.23 starts numbering user types (the app protocol vectors). */
    public static final int FIRST_ID_GO_1_23 = 64;
    /** Where the Go that built the dmsg vectors started: one id was already taken when it first encoded. */
    public static final int FIRST_ID_DMSG = 65;

    private final Map<GobType, Integer> ids = new HashMap<>();
    private final Set<GobType> sent = new HashSet<>();
    private int nextId;

    public GobStreamEncoder(int firstTypeId) {
        if (firstTypeId < GobStreamDecoder.FIRST_USER_ID) {
            throw new IllegalArgumentException("user type ids start at " + GobStreamDecoder.FIRST_USER_ID);
        }
        this.nextId = firstTypeId;
    }

    /** A fresh encoder's whole output for one value: what Go's {@code gob.NewEncoder(w).Encode(v)} writes. */
    public static byte[] encodeObject(int firstTypeId, GobType type, GobValue value) {
        return new GobStreamEncoder(firstTypeId).encode(type, value);
    }

    /**
     * The messages for {@code value}: definitions of types this stream has not sent yet, then the value.
     * A value that does not fit {@code type} is a programming error and throws IllegalArgumentException.
     */
    public byte[] encode(GobType type, GobValue value) {
        int id = idOf(type);
        GobWriter out = new GobWriter();
        sendType(type, out);
        GobWriter body = new GobWriter();
        body.writeInt(id);
        if (type instanceof GobType.Struct s) {
            writeStruct(s, value, body);
        } else {
            body.writeUint(0); // singleton: no struct around it, so zero values are sent too
            writeValue(type, value, body);
        }
        writeMessage(out, body);
        return out.toByteArray();
    }

    private static void writeMessage(GobWriter out, GobWriter body) {
        byte[] b = body.toByteArray();
        out.writeUint(b.length);
        out.writeRaw(b, 0, b.length);
    }

    /** Structs and marshalers take their id before their parts, composites after their elements, as in Go. */
    private int idOf(GobType t) {
        if (t instanceof GobType.Builtin b) {
            return b.id();
        }
        Integer known = ids.get(t);
        if (known != null) {
            return known;
        }
        if (t instanceof GobType.Struct s) {
            ids.put(t, nextId++);
            for (GobType.Field f : s.fields()) {
                idOf(f.type());
            }
        } else if (t instanceof GobType.Slice s) {
            idOf(s.elem());
            ids.put(t, nextId++);
        } else if (t instanceof GobType.Array a) {
            idOf(a.elem());
            ids.put(t, nextId++);
        } else if (t instanceof GobType.MapOf m) {
            idOf(m.key());
            idOf(m.elem());
            ids.put(t, nextId++);
        } else {
            ids.put(t, nextId++);
        }
        return ids.get(t);
    }

    /** A type's definition goes first, then those of its parts, each once per stream. */
    private void sendType(GobType t, GobWriter out) {
        if (t instanceof GobType.Builtin || !sent.add(t)) {
            return;
        }
        GobWriter body = new GobWriter();
        int id = ids.get(t);
        body.writeInt(-id);
        WireTypeCodec.write(body, wireTypeOf(t, id));
        writeMessage(out, body);
        if (t instanceof GobType.Struct s) {
            for (GobType.Field f : s.fields()) {
                sendType(f.type(), out);
            }
        } else if (t instanceof GobType.Slice s) {
            sendType(s.elem(), out);
        } else if (t instanceof GobType.Array a) {
            sendType(a.elem(), out);
        } else if (t instanceof GobType.MapOf m) {
            sendType(m.key(), out);
            sendType(m.elem(), out);
        }
    }

    private WireType wireTypeOf(GobType t, int id) {
        if (t instanceof GobType.Struct s) {
            List<WireType.FieldType> fields = new ArrayList<>();
            for (GobType.Field f : s.fields()) {
                fields.add(new WireType.FieldType(f.name(), idOf(f.type())));
            }
            return new WireType.StructType(s.name(), id, fields);
        }
        if (t instanceof GobType.Slice s) {
            return new WireType.SliceType(s.name(), id, idOf(s.elem()));
        }
        if (t instanceof GobType.Array a) {
            return new WireType.ArrayType(a.name(), id, idOf(a.elem()), a.length());
        }
        if (t instanceof GobType.MapOf m) {
            return new WireType.MapType(m.name(), id, idOf(m.key()), idOf(m.elem()));
        }
        GobType.Marshaler m = (GobType.Marshaler) t;
        return new WireType.MarshalerType(m.kind(), m.name(), id);
    }

    private void writeStruct(GobType.Struct type, GobValue value, GobWriter w) {
        if (!(value instanceof GobValue.Struct v)) {
            throw mismatch(type, value);
        }
        for (String name : v.fields().keySet()) {
            if (type.fields().stream().noneMatch(f -> f.name().equals(name))) {
                throw new IllegalArgumentException("struct " + type.name() + " has no field " + name);
            }
        }
        int last = -1;
        for (int i = 0; i < type.fields().size(); i++) {
            GobType.Field f = type.fields().get(i);
            GobValue fv = v.fields().get(f.name());
            if (fv == null || isOmitted(f.type(), fv)) {
                continue;
            }
            w.writeUint(i - last);
            last = i;
            writeValue(f.type(), fv, w);
        }
        w.writeUint(0);
    }

    /** Go leaves zero basic values and empty slices and maps out of a struct; structs, arrays and marshalers it always sends. */
    private static boolean isOmitted(GobType t, GobValue v) {
        if (t instanceof GobType.Struct || t instanceof GobType.Array || t instanceof GobType.Marshaler) {
            return false;
        }
        if (v instanceof GobValue.Bool b) {
            return !b.value();
        } else if (v instanceof GobValue.Int i) {
            return i.value() == 0;
        } else if (v instanceof GobValue.Uint u) {
            return u.value() == 0;
        } else if (v instanceof GobValue.Float f) {
            return f.value() == 0;
        } else if (v instanceof GobValue.Complex c) {
            return c.real() == 0 && c.imaginary() == 0;
        } else if (v instanceof GobValue.Bytes b) {
            return b.value().length == 0;
        } else if (v instanceof GobValue.Str s) {
            return s.value().isEmpty();
        } else if (v instanceof GobValue.Sequence s) {
            return s.elements().isEmpty();
        } else if (v instanceof GobValue.MapOf m) {
            return m.entries().isEmpty();
        } else if (v instanceof GobValue.Interface i) {
            return i.value() == null;
        }
        return false;
    }

    private void writeValue(GobType t, GobValue v, GobWriter w) {
        if (t instanceof GobType.Builtin b) {
            writeBuiltin(b, v, w);
        } else if (t instanceof GobType.Struct s) {
            writeStruct(s, v, w);
        } else if (t instanceof GobType.Slice s) {
            List<GobValue> elements = elementsOf(t, v);
            w.writeUint(elements.size());
            for (GobValue e : elements) {
                writeValue(s.elem(), e, w);
            }
        } else if (t instanceof GobType.Array a) {
            if (v instanceof GobValue.Bytes bytes && a.elem() == GobType.Builtin.UINT) {
                byte[] b = bytes.value(); // a [n]byte goes out as n uints
                checkLength(a, b.length);
                w.writeUint(b.length);
                for (byte x : b) {
                    w.writeUint(x & 0xff);
                }
                return;
            }
            List<GobValue> elements = elementsOf(t, v);
            checkLength(a, elements.size());
            w.writeUint(elements.size());
            for (GobValue e : elements) {
                writeValue(a.elem(), e, w);
            }
        } else if (t instanceof GobType.MapOf m) {
            if (!(v instanceof GobValue.MapOf map)) {
                throw mismatch(t, v);
            }
            w.writeUint(map.entries().size());
            for (GobValue.Entry e : map.entries()) {
                writeValue(m.key(), e.key(), w);
                writeValue(m.elem(), e.value(), w);
            }
        } else if (v instanceof GobValue.Marshaled m) {
            w.writeBytes(m.data());
        } else if (v instanceof GobValue.Bytes b) {
            w.writeBytes(b.value());
        } else {
            throw mismatch(t, v);
        }
    }

    private static void writeBuiltin(GobType.Builtin b, GobValue v, GobWriter w) {
        if (b == GobType.Builtin.BOOL && v instanceof GobValue.Bool x) {
            w.writeUint(x.value() ? 1 : 0);
        } else if (b == GobType.Builtin.INT && v instanceof GobValue.Int x) {
            w.writeInt(x.value());
        } else if (b == GobType.Builtin.UINT && v instanceof GobValue.Uint x) {
            w.writeUint(x.value());
        } else if (b == GobType.Builtin.FLOAT && v instanceof GobValue.Float x) {
            w.writeUint(floatBits(x.value()));
        } else if (b == GobType.Builtin.COMPLEX && v instanceof GobValue.Complex x) {
            w.writeUint(floatBits(x.real()));
            w.writeUint(floatBits(x.imaginary()));
        } else if (b == GobType.Builtin.BYTES && v instanceof GobValue.Bytes x) {
            w.writeBytes(x.value());
        } else if (b == GobType.Builtin.STRING && v instanceof GobValue.Str x) {
            w.writeBytes(x.value().getBytes(StandardCharsets.UTF_8));
        } else if (b == GobType.Builtin.INTERFACE) {
            throw new IllegalArgumentException("encoding interface values is not supported");
        } else {
            throw mismatch(b, v);
        }
    }

    static long floatBits(double d) {
        return Long.reverseBytes(Double.doubleToLongBits(d));
    }

    private static List<GobValue> elementsOf(GobType t, GobValue v) {
        if (v instanceof GobValue.Sequence s) {
            return s.elements();
        }
        throw mismatch(t, v);
    }

    private static void checkLength(GobType.Array a, int n) {
        if (n != a.length()) {
            throw new IllegalArgumentException("array " + a.name() + " needs " + a.length() + " elements, got " + n);
        }
    }

    private static IllegalArgumentException mismatch(GobType t, GobValue v) {
        return new IllegalArgumentException("cannot encode " + v.getClass().getSimpleName() + " as " + t);
    }
}
