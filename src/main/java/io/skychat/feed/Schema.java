package io.skychat.feed;

import java.util.List;

/**
 * upstream {@code registry} schema as it is hashed into a Registry: {@code encodedSchema}
 * {ReferenceType u32, Kind u32, Name []byte, Len u32, Fields [][]byte, Elem []byte}. Kinds are Go
 * {@code reflect.Kind} numbers; a field carries its raw Go struct tag, which feeds every hash above it.
 *
 * @param elem the element schema, or null (encoded as an empty Elem)
 */
public record Schema(int referenceType, int kind, String name, int len, List<Field> fields, Schema elem) {

    public static final int REF_NONE = 0;
    public static final int REF_SINGLE = 1;
    public static final int REF_SLICE = 2;
    public static final int REF_DYNAMIC = 3;

    public static final int KIND_UINT8 = 8;
    public static final int KIND_POINTER = 22;
    public static final int KIND_SLICE = 23;
    public static final int KIND_STRING = 24;
    public static final int KIND_STRUCT = 25;

    /** {@code encodedField} {Name []byte, Tag []byte, Kind u32 (never set upstream), Schema []byte}. */
    public record Field(String name, String tag, Schema schema) {
        public Field {
            if (name == null || name.isEmpty() || tag == null || schema == null) {
                throw new IllegalArgumentException("a field has a name, a tag (maybe empty) and a schema");
            }
        }

        byte[] encode() {
            return new SkyWriter().string(name).string(tag).u32(0).bytes(schema.encode()).toByteArray();
        }
    }

    public Schema {
        if (name == null || fields == null) {
            throw new IllegalArgumentException("name and fields are required (maybe empty)");
        }
        fields = List.copyOf(fields);
    }

    /** A basic type: named after its Go type ("string", "uint8"). */
    public static Schema basic(int kind, String goName) {
        return new Schema(REF_NONE, kind, goName, 0, List.of(), null);
    }

    /** A registered struct referred to by name only, as field and element schemas do. */
    public static Schema named(String name) {
        return new Schema(REF_NONE, KIND_STRUCT, name, 0, List.of(), null);
    }

    public static Schema struct(String name, List<Field> fields) {
        return new Schema(REF_NONE, KIND_STRUCT, name, 0, fields, null);
    }

    /** A {@code Ref} field: a pointer-kind reference to the struct named in its tag. */
    public static Schema ref(String target) {
        return new Schema(REF_SINGLE, KIND_POINTER, "", 0, List.of(), named(target));
    }

    /** A {@code Refs} field. */
    public static Schema refs(String target) {
        return new Schema(REF_SLICE, KIND_POINTER, "", 0, List.of(), named(target));
    }

    public static Schema sliceOf(Schema elem) {
        return new Schema(REF_NONE, KIND_SLICE, "", 0, List.of(), elem);
    }

    public byte[] encode() {
        SkyWriter w = new SkyWriter().u32(referenceType).u32(kind).string(name).u32(len).count(fields.size());
        for (Field f : fields) {
            w.bytes(f.encode());
        }
        return w.bytes(elem == null ? new byte[0] : elem.encode()).toByteArray();
    }

    /** {@code SchemaRef}: SHA-256 of the encoding. */
    public Hash reference() {
        return Hash.of(encode());
    }
}
