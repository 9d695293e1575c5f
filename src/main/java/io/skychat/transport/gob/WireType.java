package io.skychat.transport.gob;

import java.util.List;
import java.util.Objects;

/** A type definition as a gob stream carries it: Go's {@code wireType}, with the sender's type ids. */
public sealed interface WireType {

    String name();

    int id();

    record StructType(String name, int id, List<FieldType> fields) implements WireType {
        public StructType {
            Objects.requireNonNull(name, "name");
            fields = List.copyOf(fields);
        }
    }

    record FieldType(String name, int typeId) {
        public FieldType {
            Objects.requireNonNull(name, "name");
        }
    }

    record SliceType(String name, int id, int elem) implements WireType {
        public SliceType {
            Objects.requireNonNull(name, "name");
        }
    }

    record ArrayType(String name, int id, int elem, int length) implements WireType {
        public ArrayType {
            Objects.requireNonNull(name, "name");
        }
    }

    record MapType(String name, int id, int key, int elem) implements WireType {
        public MapType {
            Objects.requireNonNull(name, "name");
        }
    }

    record MarshalerType(GobType.Marshaling kind, String name, int id) implements WireType {
        public MarshalerType {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
        }
    }
}
