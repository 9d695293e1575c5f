package io.skychat.transport.gob;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The shape of a Go type as we send it, without ids: the encoder numbers each type when a stream first
 * uses it, the way a fresh Go process does. Records compare by structure, so one constant per Go type is enough.
 */
public sealed interface GobType {

    /** The types every gob stream knows by fixed id; they are never defined on the wire. */
    enum Builtin implements GobType {
        BOOL(1), INT(2), UINT(3), FLOAT(4), BYTES(5), STRING(6), COMPLEX(7), INTERFACE(8);

        private final int id;

        Builtin(int id) {
            this.id = id;
        }

        public int id() {
            return id;
        }

        static Builtin byId(int id) {
            return id >= 1 && id <= 8 ? values()[id - 1] : null;
        }
    }

    /** How a type that marshals itself is announced; the numbers are the wireType fields Go uses for each. */
    enum Marshaling {
        GOB_ENCODER(5), BINARY_MARSHALER(6), TEXT_MARSHALER(7);

        private final int wireField;

        Marshaling(int wireField) {
            this.wireField = wireField;
        }

        int wireField() {
            return wireField;
        }
    }

    /** A Go struct; field order is the Go declaration order, which fixes the field numbers on the wire. */
    record Struct(String name, List<Field> fields) implements GobType {
        public Struct {
            Objects.requireNonNull(name, "name");
            fields = List.copyOf(fields);
            Set<String> seen = new HashSet<>();
            for (Field f : fields) {
                if (!seen.add(f.name())) {
                    throw new IllegalArgumentException("struct " + name + " has two fields named " + f.name());
                }
            }
        }

        public static Struct of(String name, Field... fields) {
            return new Struct(name, List.of(fields));
        }
    }

    record Field(String name, GobType type) {
        public Field {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a field needs a name");
            }
            Objects.requireNonNull(type, "type");
        }
    }

    /** A Go slice other than {@code []byte}, which is {@link Builtin#BYTES}. */
    record Slice(String name, GobType elem) implements GobType {
        public Slice {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(elem, "elem");
        }
    }

    /** A Go array; unlike slices it is sent element by element even for bytes, and never left out as zero. */
    record Array(String name, GobType elem, int length) implements GobType {
        public Array {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(elem, "elem");
            if (length < 0) {
                throw new IllegalArgumentException("array length " + length);
            }
        }
    }

    record MapOf(String name, GobType key, GobType elem) implements GobType {
        public MapOf {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(elem, "elem");
        }
    }

    /** A type implementing GobEncoder, BinaryMarshaler or TextMarshaler: its value is an opaque byte string. */
    record Marshaler(Marshaling kind, String name) implements GobType {
        public Marshaler {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
        }
    }

    static Field field(String name, GobType type) {
        return new Field(name, type);
    }
}
