package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.crypto.Secp256k1;
import io.skychat.crypto.Signatures;
import io.skychat.group.GroupException.Reason;
import io.skychat.pair.GoJson;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Go {@code encoding/json} shapes group artefacts use: struct fields in declaration order, {@code cipher.PubKey}
 * and {@code cipher.Sig} as lower-case hex (the zero value as all zeros), {@code []byte} as standard base64 with
 * padding, {@code time.Time} as RFC 3339 with trailing zeros trimmed, unsigned integers as decimal.
 */
final class Json {

    static final HexFormat HEX = HexFormat.of();
    static final String ZERO_PK = "0".repeat(PeerKey.LENGTH * 2);
    static final String ZERO_SIG = "0".repeat(Signatures.LENGTH * 2);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Json() {
    }

    static Instant instant(long unixNano) {
        return Instant.ofEpochSecond(Math.floorDiv(unixNano, 1_000_000_000L), Math.floorMod(unixNano, 1_000_000_000L));
    }

    static String time(long unixNano) {
        return GoJson.time(instant(unixNano));
    }

    /** Writes one object, adding the commas. */
    static final class Out {
        private final StringBuilder s = new StringBuilder("{");
        private boolean first = true;

        private StringBuilder name(String name) {
            if (!first) {
                s.append(',');
            }
            first = false;
            return s.append('"').append(name).append("\":");
        }

        Out str(String name, String value) {
            GoJson.quote(name(name), value);
            return this;
        }

        Out strIfNotEmpty(String name, String value) {
            return value == null || value.isEmpty() ? this : str(name, value);
        }

        Out pk(String name, PeerKey pk) {
            name(name).append('"').append(pk == null ? ZERO_PK : pk.hex()).append('"');
            return this;
        }

        Out sig(String name, byte[] sig) {
            name(name).append('"').append(sig == null ? ZERO_SIG : HEX.formatHex(sig)).append('"');
            return this;
        }

        Out time(String name, long unixNano) {
            name(name).append('"').append(Json.time(unixNano)).append('"');
            return this;
        }

        Out time(String name, Instant t) {
            name(name).append('"').append(GoJson.time(t)).append('"');
            return this;
        }

        Out u64(String name, long v) {
            name(name).append(Long.toUnsignedString(v));
            return this;
        }

        Out u64IfNotZero(String name, long v) {
            return v == 0 ? this : u64(name, v);
        }

        Out i64(String name, long v) {
            name(name).append(v);
            return this;
        }

        Out i64IfNotZero(String name, long v) {
            return v == 0 ? this : i64(name, v);
        }

        Out bool(String name, boolean v) {
            name(name).append(v);
            return this;
        }

        Out trueOnly(String name, boolean v) {
            return v ? bool(name, true) : this;
        }

        /** Go {@code []byte}: standard base64 with padding, {@code null} for a nil slice. */
        Out bytes(String name, byte[] b) {
            if (b == null) {
                name(name).append("null");
            } else {
                name(name).append('"').append(Base64.getEncoder().encodeToString(b)).append('"');
            }
            return this;
        }

        Out bytesIfNotEmpty(String name, byte[] b) {
            return b == null || b.length == 0 ? this : bytes(name, b);
        }

        Out pks(String name, List<PeerKey> pks) {
            StringBuilder b = name(name).append('[');
            for (int i = 0; i < pks.size(); i++) {
                b.append(i == 0 ? "\"" : ",\"").append(pks.get(i).hex()).append('"');
            }
            b.append(']');
            return this;
        }

        Out pksIfNotEmpty(String name, List<PeerKey> pks) {
            return pks.isEmpty() ? this : pks(name, pks);
        }

        Out raw(String name, String json) {
            name(name).append(json);
            return this;
        }

        String done() {
            return s.append('}').toString();
        }

        byte[] bytes() {
            return done().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Reads the fields of one object; every fault becomes a GroupException with {@code reason}. */
    static final class In {
        final JsonNode node;
        final Reason reason;
        final String what;

        private In(JsonNode node, Reason reason, String what) {
            this.node = node;
            this.reason = reason;
            this.what = what;
        }

        static In parse(byte[] json, Reason reason, String what) {
            if (json == null || json.length == 0) {
                throw new GroupException(reason, what + " is empty");
            }
            JsonNode n;
            try {
                n = MAPPER.readTree(json);
            } catch (JacksonException e) {
                throw new GroupException(reason, what + " is not JSON: " + firstLine(e.getOriginalMessage()));
            }
            if (n == null || !n.isObject()) {
                throw new GroupException(reason, what + " is not a JSON object");
            }
            return new In(n, reason, what);
        }

        /** Each element of an array of objects. */
        List<In> objects(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw fail(field + " is not an array");
            }
            List<In> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isObject()) {
                    throw fail(field + " holds a non-object");
                }
                out.add(new In(e, reason, what));
            }
            return out;
        }

        In object(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return new In(MAPPER.createObjectNode(), reason, what);
            }
            if (!v.isObject()) {
                throw fail(field + " is not an object");
            }
            return new In(v, reason, what);
        }

        GroupException fail(String why) {
            return new GroupException(reason, what + ": " + why);
        }

        boolean has(String field) {
            JsonNode v = node.get(field);
            return v != null && !v.isNull();
        }

        String str(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return "";
            }
            if (!v.isString()) {
                throw fail(field + " is not a string");
            }
            return v.asString();
        }

        /** A public key, or null for an absent or all-zero one; must lie on the curve, as skycoin's NewPubKey checks. */
        PeerKey pk(String field) {
            return pkOf(field, str(field));
        }

        private PeerKey pkOf(String field, String hex) {
            if (hex.chars().allMatch(c -> c == '0')) {
                return null;
            }
            PeerKey pk;
            try {
                pk = PeerKey.parse(hex);
            } catch (IllegalArgumentException e) {
                throw fail(field + ": " + e.getMessage());
            }
            if (!Secp256k1.isValidPublicKey(pk)) {
                throw fail(field + " is not a point on secp256k1");
            }
            return pk;
        }

        PeerKey requiredPk(String field) {
            PeerKey pk = pk(field);
            if (pk == null) {
                throw fail(field + " is missing");
            }
            return pk;
        }

        List<PeerKey> pks(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw fail(field + " is not an array");
            }
            List<PeerKey> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isString()) {
                    throw fail(field + " holds a non-string");
                }
                PeerKey pk = pkOf(field, e.asString());
                if (pk != null) {
                    out.add(pk);
                }
            }
            return out;
        }

        /** A 65-byte signature, or null for an absent or all-zero one. */
        byte[] sig(String field) {
            String hex = str(field);
            if (hex.isEmpty() || hex.chars().allMatch(c -> c == '0')) {
                return null;
            }
            if (hex.length() != Signatures.LENGTH * 2) {
                throw fail(field + " must be " + Signatures.LENGTH * 2 + " hex characters, got " + hex.length());
            }
            try {
                return HEX.parseHex(hex);
            } catch (IllegalArgumentException e) {
                throw fail(field + " is not hex");
            }
        }

        /** Go {@code []byte}: standard base64; absent or null is empty. */
        byte[] bytes(String field) {
            String b64 = str(field);
            try {
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw fail(field + " is not base64");
            }
        }

        /** Unix nanoseconds of an RFC 3339 time; absent is a fault. */
        long time(String field) {
            String s = str(field);
            if (s.isEmpty()) {
                throw fail(field + " is missing");
            }
            try {
                return GoJson.unixNano(OffsetDateTime.parse(s).toInstant());
            } catch (DateTimeParseException e) {
                throw fail(field + " is not an RFC 3339 time: " + s);
            }
        }

        Instant instant(String field) {
            String s = str(field);
            if (s.isEmpty()) {
                throw fail(field + " is missing");
            }
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                throw fail(field + " is not an RFC 3339 time: " + s);
            }
        }

        /** An unsigned integer that fits {@code bits} bits (64 allowed); absent is 0. */
        long unsigned(String field, int bits) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return 0;
            }
            if (!v.isIntegralNumber()) {
                throw fail(field + " is not an integer");
            }
            BigInteger b = v.bigIntegerValue();
            BigInteger max = bits == 64 ? U64_MAX : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            if (b.signum() < 0 || b.compareTo(max) > 0) {
                throw fail(field + " is out of range for uint" + bits + ": " + b);
            }
            return b.longValue();
        }

        long signed64(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return 0;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw fail(field + " is not an int64");
            }
            return v.asLong();
        }

        boolean bool(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return false;
            }
            if (!v.isBoolean()) {
                throw fail(field + " is not a boolean");
            }
            return v.asBoolean();
        }

        JsonNode raw(String field) {
            return node.get(field);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
