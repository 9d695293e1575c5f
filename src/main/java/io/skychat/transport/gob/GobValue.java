package io.skychat.transport.gob;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded gob value, or one to encode. Structs hold only the fields that were on the wire: gob leaves
 * zero values out, so the accessors of {@link Struct} answer Go's zero value for an absent field.
 */
public sealed interface GobValue {

    record Bool(boolean value) implements GobValue {
    }

    record Int(long value) implements GobValue {
    }

    /** A Go unsigned integer; {@code value} holds all 64 bits, read it with the unsigned methods of {@link Long}. */
    record Uint(long value) implements GobValue {
    }

    record Float(double value) implements GobValue {
    }

    record Complex(double real, double imaginary) implements GobValue {
    }

    record Bytes(byte[] value) implements GobValue {
        public Bytes {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bytes[" + HexFormat.of().formatHex(value) + "]";
        }
    }

    /** A Go string; Go allows any bytes in one, we read them as UTF-8 (invalid sequences become U+FFFD). */
    record Str(String value) implements GobValue {
        public Str {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A slice or an array. */
    record Sequence(List<GobValue> elements) implements GobValue {
        public Sequence {
            elements = List.copyOf(elements);
        }
    }

    record MapOf(List<Entry> entries) implements GobValue {
        public MapOf {
            entries = List.copyOf(entries);
        }
    }

    record Entry(GobValue key, GobValue value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** The bytes of a GobEncoder, BinaryMarshaler or TextMarshaler value, tagged with its Go type name. */
    record Marshaled(String typeName, byte[] data) implements GobValue {
        public Marshaled {
            Objects.requireNonNull(typeName, "typeName");
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Marshaled m && typeName.equals(m.typeName) && Arrays.equals(data, m.data);
        }

        @Override
        public int hashCode() {
            return typeName.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Marshaled[" + typeName + " " + HexFormat.of().formatHex(data) + "]";
        }
    }

    /** An interface value: the name the sender registered for the concrete type, and the value; nil has neither. */
    record Interface(String name, GobValue value) implements GobValue {
        public Interface {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() != (value == null)) {
                throw new IllegalArgumentException("a nil interface has no name and no value");
            }
        }
    }

    /** A struct by field name; absent fields read as Go zero values, present ones must have the expected kind. */
    record Struct(String typeName, Map<String, GobValue> fields) implements GobValue {
        public Struct {
            Objects.requireNonNull(typeName, "typeName");
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public static Builder builder(String typeName) {
            return new Builder(typeName);
        }

        public Optional<GobValue> get(String field) {
            return Optional.ofNullable(fields.get(field));
        }

        public boolean has(String field) {
            return fields.containsKey(field);
        }

        public boolean bool(String field) {
            GobValue v = fields.get(field);
            return v != null && as(field, v, Bool.class).value();
        }

        /** A Go uint of any width, all 64 bits. */
        public long uint(String field) {
            GobValue v = fields.get(field);
            return v == null ? 0 : as(field, v, Uint.class).value();
        }

        /** A Go uint16 (ports, connection and listener ids); a larger value is an error, as in Go. */
        public int uint16(String field) {
            long v = uint(field);
            if (Long.compareUnsigned(v, 0xffff) > 0) {
                throw GobException.mismatch(typeName + "." + field + " = " + Long.toUnsignedString(v)
                        + " does not fit in uint16");
            }
            return (int) v;
        }

        public long integer(String field) {
            GobValue v = fields.get(field);
            return v == null ? 0 : as(field, v, Int.class).value();
        }

        public String string(String field) {
            GobValue v = fields.get(field);
            return v == null ? "" : as(field, v, Str.class).value();
        }

        public byte[] bytes(String field) {
            GobValue v = fields.get(field);
            return v == null ? new byte[0] : as(field, v, Bytes.class).value();
        }

        /** A nested struct; empty only when the field was a nil pointer. */
        public Optional<Struct> struct(String field) {
            GobValue v = fields.get(field);
            return v == null ? Optional.empty() : Optional.of(as(field, v, Struct.class));
        }

        /** The bytes of a marshaled field; empty when the sender left it out as zero. */
        public Optional<byte[]> marshaled(String field) {
            GobValue v = fields.get(field);
            return v == null ? Optional.empty() : Optional.of(as(field, v, Marshaled.class).data());
        }

        /** A Go {@code [n]byte} array, which gob sends as n uints. */
        public byte[] byteArray(String field, int length) {
            GobValue v = fields.get(field);
            if (v == null) {
                return new byte[length]; // cannot happen with Go senders (arrays are always sent) but is Go's zero
            }
            List<GobValue> elements = as(field, v, Sequence.class).elements();
            if (elements.size() != length) {
                throw GobException.mismatch(typeName + "." + field + " has " + elements.size()
                        + " elements, expected " + length);
            }
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                long b = as(field + "[" + i + "]", elements.get(i), Uint.class).value();
                if (Long.compareUnsigned(b, 0xff) > 0) {
                    throw GobException.mismatch(typeName + "." + field + "[" + i + "] = " + b + " is not a byte");
                }
                out[i] = (byte) b;
            }
            return out;
        }

        private <T extends GobValue> T as(String field, GobValue v, Class<T> kind) {
            if (!kind.isInstance(v)) {
                throw GobException.mismatch(typeName + "." + field + " is a " + v.getClass().getSimpleName()
                        + ", expected " + kind.getSimpleName());
            }
            return kind.cast(v);
        }

        public static final class Builder {
            private final String typeName;
            private final Map<String, GobValue> fields = new LinkedHashMap<>();

            private Builder(String typeName) {
                this.typeName = typeName;
            }

            /** Adds a field; a null value leaves it out, as Go does with a nil pointer. */
            public Builder put(String field, GobValue value) {
                if (value != null) {
                    fields.put(field, value);
                }
                return this;
            }

            public Struct build() {
                return new Struct(typeName, fields);
            }
        }
    }
}
