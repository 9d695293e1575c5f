package io.skychat.cli;

import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON for the quick verbs without a data-binding mapper: Jackson's streaming parser and generator build and
 * write {@link JsonNode} trees, and the API's records are bound by their components (each named as its
 * {@code @JsonProperty}, the snake_case of the component's name). Building {@link Json#MAPPER} costs more than
 * the rest of a verb's run, so it is asked only for what this class does not do itself, with the same result.
 */
final class JsonText {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonText() {
    }

    /** Parses a whole document; {@code what} names it in the error line. */
    static JsonNode tree(String json, String what) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return NODES.missingNode();
            }
            JsonNode node = value(p, first);
            if (p.nextToken() != null) {
                return Json.tree(json, what); // trailing content: let the mapper decide as it always has
            }
            return node;
        } catch (JacksonException e) {
            throw CliException.failed("unexpected " + what + " from the service: " + e.getOriginalMessage());
        }
    }

    private static JsonNode value(JsonParser p, JsonToken t) {
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (JsonToken n = p.nextToken(); n == JsonToken.PROPERTY_NAME; n = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                    a.add(value(p, n));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.stringNode(p.getString());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IllegalStateException("unexpected token " + t);
        }
    }

    /** Binds a document to a record of the API (its DTOs). */
    static <T> T read(String json, Class<T> type, String what) {
        return bind(tree(json, what), type, what);
    }

    /** Binds a tree to a record; what this class cannot bind itself goes to the mapper. */
    static <T> T bind(JsonNode node, Class<T> type, String what) {
        Object value = record(node, type);
        if (value == UNBOUND) {
            try {
                return Json.MAPPER.treeToValue(node, type);
            } catch (JacksonException e) {
                throw CliException.failed("unexpected " + what + " from the service: " + e.getOriginalMessage());
            }
        }
        return type.cast(value);
    }

    private static final Object UNBOUND = new Object();

    private static Object record(JsonNode node, Class<?> type) {
        if (!type.isRecord() || !node.isObject()) {
            return UNBOUND;
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            JsonNode v = node.get(snakeCase(c.getName()));
            Object converted = convert(v, c.getType(), c.getGenericType());
            if (converted == UNBOUND) {
                return UNBOUND;
            }
            args[i] = converted;
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return UNBOUND; // a record that checks its values: the mapper reports it as it always did
        }
    }

    private static Object convert(JsonNode v, Class<?> type, Type generic) {
        boolean absent = v == null || v.isNull() || v.isMissingNode();
        if (type == String.class) {
            return absent ? null : v.isString() ? v.asString() : UNBOUND;
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            if (absent) {
                return type.isPrimitive() ? UNBOUND : null; // the mapper refuses a missing primitive: say it as it does
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                return UNBOUND;
            }
            if (type == int.class || type == Integer.class) {
                return v.canConvertToInt() ? (Object) v.asInt() : UNBOUND;
            }
            return v.asLong();
        }
        if (type == boolean.class || type == Boolean.class) {
            if (absent) {
                return type.isPrimitive() ? UNBOUND : null;
            }
            return v.isBoolean() ? (Object) v.asBoolean() : UNBOUND;
        }
        if (type == double.class || type == Double.class) {
            if (absent) {
                return type.isPrimitive() ? UNBOUND : null;
            }
            return v.isNumber() ? (Object) v.asDouble() : UNBOUND;
        }
        if (type == JsonNode.class) {
            return v == null ? null : v;
        }
        if (type == List.class && generic instanceof ParameterizedType pt
                && pt.getActualTypeArguments()[0] instanceof Class<?> element) {
            if (absent) {
                return null;
            }
            if (!v.isArray()) {
                return UNBOUND;
            }
            List<Object> list = new ArrayList<>(v.size());
            for (JsonNode e : v) {
                Object x = convert(e, element, element);
                if (x == UNBOUND) {
                    return UNBOUND;
                }
                list.add(x);
            }
            return list;
        }
        if (type.isRecord()) {
            return absent ? null : record(v, type);
        }
        return UNBOUND;
    }

    static String snakeCase(String camel) {
        StringBuilder b = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                b.append('_').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Maps, lists, strings, numbers, booleans, trees and the API's records (null components left out, as the
     * mapper is configured); anything else goes to the mapper.
     */
    static String write(Object value) {
        if (!writable(value)) {
            return Json.write(value);
        }
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            write(g, value);
        }
        return out.toString();
    }

    /** The tree on one line, for NDJSON output. */
    static String oneLine(JsonNode node) {
        return write(node);
    }

    private static boolean writable(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
                || v instanceof JsonNode) {
            return v == null || !(v instanceof JsonNode n) || nodeWritable(n);
        }
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().allMatch(e -> e.getKey() instanceof String && writable(e.getValue()));
        }
        if (v instanceof Collection<?> c) {
            return c.stream().allMatch(JsonText::writable);
        }
        if (v instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    if (!writable(c.getAccessor().invoke(r))) {
                        return false;
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean nodeWritable(JsonNode n) {
        if (n.isObject() || n.isArray()) {
            for (JsonNode child : n) {
                if (!nodeWritable(child)) {
                    return false;
                }
            }
            return true;
        }
        return n.isString() || n.isNumber() || n.isBoolean() || n.isNull();
    }

    private static void write(JsonGenerator g, Object v) {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof JsonNode n) {
            writeNode(g, n);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object x : c) {
                write(g, x);
            }
            g.writeEndArray();
        } else {
            Record r = (Record) v;
            g.writeStartObject();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                Object x;
                try {
                    x = c.getAccessor().invoke(r);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                if (x != null) {
                    g.writeName(snakeCase(c.getName()));
                    write(g, x);
                }
            }
            g.writeEndObject();
        }
    }

    private static void writeNode(JsonGenerator g, JsonNode n) {
        if (n.isObject()) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                g.writeName(e.getKey());
                writeNode(g, e.getValue());
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode x : n) {
                writeNode(g, x);
            }
            g.writeEndArray();
        } else if (n.isString()) {
            g.writeString(n.asString());
        } else if (n.isBoolean()) {
            g.writeBoolean(n.asBoolean());
        } else if (n.isNull()) {
            g.writeNull();
        } else {
            Number x = n.numberValue();
            if (x instanceof Integer i) {
                g.writeNumber(i);
            } else if (x instanceof Long l) {
                g.writeNumber(l);
            } else if (x instanceof BigInteger b) {
                g.writeNumber(b);
            } else if (x instanceof BigDecimal d) {
                g.writeNumber(d);
            } else if (x instanceof Float f) {
                g.writeNumber(f);
            } else {
                g.writeNumber(x.doubleValue());
            }
        }
    }
}
