package io.skychat.transport.gob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code wireType} struct, read and written by hand: it is itself gob-encoded with fixed field numbers
 * (ArrayT 1, SliceT 2, StructT 3, MapT 4, GobEncoderT 5, BinaryMarshalerT 6, TextMarshalerT 7).
 */
final class WireTypeCodec {

    private WireTypeCodec() {
    }

    /** Reads the definition of {@code id}; exactly one kind must be set and its CommonType.Id must be {@code id}. */
    static WireType read(GobReader r, int id) {
        WireType found = null;
        int field = 0;
        while (true) {
            long delta = r.readUint("wireType field delta");
            if (delta == 0) {
                break;
            }
            if (Long.compareUnsigned(delta, 7 - field) > 0) {
                throw GobException.malformed("wireType field number out of range");
            }
            field += (int) delta;
            if (found != null) {
                throw GobException.malformed("type definition " + id + " sets more than one kind");
            }
            found = switch (field) {
                case 1 -> readArray(r);
                case 2 -> readSlice(r);
                case 3 -> readStruct(r);
                case 4 -> readMap(r);
                case 5 -> readMarshaler(r, GobType.Marshaling.GOB_ENCODER);
                case 6 -> readMarshaler(r, GobType.Marshaling.BINARY_MARSHALER);
                default -> readMarshaler(r, GobType.Marshaling.TEXT_MARSHALER);
            };
        }
        if (found == null) {
            throw GobException.malformed("type definition " + id + " is empty");
        }
        if (found.id() != id) {
            throw GobException.malformed("type definition announced as " + id + " carries id " + found.id());
        }
        return found;
    }

    private record Common(String name, int id) {
    }

    /** Walks one struct's (delta, value) pairs; {@code fields} reads the value of 1-based field n. */
    private interface FieldReader {
        void read(int field);
    }

    private static void readFields(GobReader r, String what, int count, FieldReader fields) {
        int field = 0;
        while (true) {
            long delta = r.readUint(what + " field delta");
            if (delta == 0) {
                return;
            }
            if (Long.compareUnsigned(delta, count - field) > 0) {
                throw GobException.malformed(what + " field number out of range");
            }
            field += (int) delta;
            fields.read(field);
        }
    }

    private static Common readCommon(GobReader r) {
        String[] name = {""};
        int[] id = {0};
        readFields(r, "CommonType", 2, f -> {
            if (f == 1) {
                name[0] = new String(r.readBytes("type name"), StandardCharsets.UTF_8);
            } else {
                id[0] = r.readTypeId("type id");
            }
        });
        if (id[0] < GobStreamDecoder.FIRST_USER_ID) {
            throw GobException.malformed("type " + name[0] + " defines id " + id[0] + ", below the first user id "
                    + GobStreamDecoder.FIRST_USER_ID);
        }
        return new Common(name[0], id[0]);
    }

    private static int elemId(GobReader r, String what) {
        int id = r.readTypeId(what);
        if (id <= 0) {
            throw GobException.malformed(what + " " + id + " cannot name a type");
        }
        return id;
    }

    private static WireType readArray(GobReader r) {
        Common[] c = {null};
        int[] elem = {0};
        long[] len = {0};
        readFields(r, "arrayType", 3, f -> {
            switch (f) {
                case 1 -> c[0] = readCommon(r);
                case 2 -> elem[0] = elemId(r, "array element type");
                default -> len[0] = r.readInt("array length");
            }
        });
        requireCommon(c[0], "arrayType");
        if (elem[0] == 0 || len[0] < 0 || len[0] > GobStreamDecoder.MAX_MESSAGE_CAP) {
            throw GobException.malformed("array type " + c[0].name() + " has element " + elem[0] + " and length " + len[0]);
        }
        return new WireType.ArrayType(c[0].name(), c[0].id(), elem[0], (int) len[0]);
    }

    private static WireType readSlice(GobReader r) {
        Common[] c = {null};
        int[] elem = {0};
        readFields(r, "sliceType", 2, f -> {
            if (f == 1) {
                c[0] = readCommon(r);
            } else {
                elem[0] = elemId(r, "slice element type");
            }
        });
        requireCommon(c[0], "sliceType");
        if (elem[0] == 0) {
            throw GobException.malformed("slice type " + c[0].name() + " has no element type");
        }
        return new WireType.SliceType(c[0].name(), c[0].id(), elem[0]);
    }

    private static WireType readMap(GobReader r) {
        Common[] c = {null};
        int[] ids = {0, 0};
        readFields(r, "mapType", 3, f -> {
            switch (f) {
                case 1 -> c[0] = readCommon(r);
                case 2 -> ids[0] = elemId(r, "map key type");
                default -> ids[1] = elemId(r, "map element type");
            }
        });
        requireCommon(c[0], "mapType");
        if (ids[0] == 0 || ids[1] == 0) {
            throw GobException.malformed("map type " + c[0].name() + " lacks its key or element type");
        }
        return new WireType.MapType(c[0].name(), c[0].id(), ids[0], ids[1]);
    }

    private static WireType readStruct(GobReader r) {
        Common[] c = {null};
        List<WireType.FieldType> fields = new ArrayList<>();
        readFields(r, "structType", 2, f -> {
            if (f == 1) {
                c[0] = readCommon(r);
                return;
            }
            int n = r.readCount("struct field count", 1);
            for (int i = 0; i < n; i++) {
                String[] name = {""};
                int[] id = {0};
                readFields(r, "fieldType", 2, g -> {
                    if (g == 1) {
                        name[0] = new String(r.readBytes("field name"), StandardCharsets.UTF_8);
                    } else {
                        id[0] = elemId(r, "field type");
                    }
                });
                if (name[0].isEmpty() || id[0] == 0) {
                    throw GobException.malformed("struct field " + i + " lacks a name or a type");
                }
                for (WireType.FieldType other : fields) {
                    if (other.name().equals(name[0])) {
                        throw GobException.malformed("struct defines field " + name[0] + " twice");
                    }
                }
                fields.add(new WireType.FieldType(name[0], id[0]));
            }
        });
        requireCommon(c[0], "structType");
        return new WireType.StructType(c[0].name(), c[0].id(), fields);
    }

    private static WireType readMarshaler(GobReader r, GobType.Marshaling kind) {
        Common[] c = {null};
        readFields(r, "gobEncoderType", 1, f -> c[0] = readCommon(r));
        requireCommon(c[0], "gobEncoderType");
        return new WireType.MarshalerType(kind, c[0].name(), c[0].id());
    }

    private static void requireCommon(Common c, String what) {
        if (c == null) {
            throw GobException.malformed(what + " has no CommonType");
        }
    }

    /** Writes the wireType value, leaving out zero fields exactly as Go's encoder does. */
    static void write(GobWriter w, WireType t) {
        if (t instanceof WireType.ArrayType a) {
            w.writeUint(1);
            w.writeUint(1);
            writeCommon(w, a.name(), a.id());
            w.writeUint(1);
            w.writeInt(a.elem());
            if (a.length() != 0) {
                w.writeUint(1);
                w.writeInt(a.length());
            }
            w.writeUint(0);
        } else if (t instanceof WireType.SliceType s) {
            w.writeUint(2);
            w.writeUint(1);
            writeCommon(w, s.name(), s.id());
            w.writeUint(1);
            w.writeInt(s.elem());
            w.writeUint(0);
        } else if (t instanceof WireType.StructType s) {
            w.writeUint(3);
            w.writeUint(1);
            writeCommon(w, s.name(), s.id());
            if (!s.fields().isEmpty()) {
                w.writeUint(1);
                w.writeUint(s.fields().size());
                for (WireType.FieldType f : s.fields()) {
                    w.writeUint(1);
                    w.writeBytes(f.name().getBytes(StandardCharsets.UTF_8));
                    w.writeUint(1);
                    w.writeInt(f.typeId());
                    w.writeUint(0);
                }
            }
            w.writeUint(0);
        } else if (t instanceof WireType.MapType m) {
            w.writeUint(4);
            w.writeUint(1);
            writeCommon(w, m.name(), m.id());
            w.writeUint(1);
            w.writeInt(m.key());
            w.writeUint(1);
            w.writeInt(m.elem());
            w.writeUint(0);
        } else if (t instanceof WireType.MarshalerType m) {
            w.writeUint(m.kind().wireField());
            w.writeUint(1);
            writeCommon(w, m.name(), m.id());
            w.writeUint(0);
        }
        w.writeUint(0);
    }

    private static void writeCommon(GobWriter w, String name, int id) {
        if (name.isEmpty()) {
            w.writeUint(2); // an empty name is a zero field, so the delta skips it
        } else {
            w.writeUint(1);
            w.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            w.writeUint(1);
        }
        w.writeInt(id);
        w.writeUint(0);
    }
}
