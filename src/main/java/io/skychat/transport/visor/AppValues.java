package io.skychat.transport.visor;

import io.skychat.core.PeerKey;
import io.skychat.transport.gob.GobException;
import io.skychat.transport.gob.GobValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Conversions between gob values and the Go types of the app protocol that are not structs of their own. */
final class AppValues {

    /** Seconds from Go's time origin (1 January of year 1, UTC) to the Unix epoch. */
    static final long GO_EPOCH_TO_UNIX = 62_135_596_800L;

    private AppValues() {
    }

    static GobValue.Struct struct(GobValue v, String what) {
        if (v instanceof GobValue.Struct s) {
            return s;
        }
        throw GobException.mismatch(what + " is a " + v.getClass().getSimpleName() + ", expected a struct");
    }

    static int uint16(GobValue v, String what) {
        if (v instanceof GobValue.Uint u && Long.compareUnsigned(u.value(), 0xffff) <= 0) {
            return (int) u.value();
        }
        throw GobException.mismatch(what + " must be a uint16, got " + v);
    }

    static String string(GobValue v, String what) {
        if (v instanceof GobValue.Str s) {
            return s.value();
        }
        throw GobException.mismatch(what + " must be a string, got " + v.getClass().getSimpleName());
    }

    static long int64(GobValue v, String what) {
        if (v instanceof GobValue.Int i) {
            return i.value();
        }
        throw GobException.mismatch(what + " must be an int, got " + v.getClass().getSimpleName());
    }

    static GobValue uint16(int v) {
        return new GobValue.Uint(v);
    }

    static void checkUint16(int v, String what) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(what + " " + v + " is not a uint16");
        }
    }

    static PeerKey pubKey(GobValue.Struct s, String field) {
        byte[] raw = s.marshaled(field).orElseThrow(() ->
                AppProtocolException.badMessage(s.typeName() + "." + field + " is the zero key"));
        try {
            return PeerKey.of(raw);
        } catch (IllegalArgumentException e) {
            throw AppProtocolException.badMessage(s.typeName() + "." + field + ": " + e.getMessage());
        }
    }

    static GobValue pubKey(PeerKey pk) {
        return new GobValue.Marshaled("PubKey", pk.toBytes());
    }

    /** ProcKey is a TextMarshaler in gob: its hex text. */
    static ProcKey procKey(byte[] text) {
        try {
            return ProcKey.parse(new String(text, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw AppProtocolException.badMessage("proc key: " + e.getMessage());
        }
    }

    static ProcKey procKey(GobValue v) {
        if (v instanceof GobValue.Marshaled m) {
            return procKey(m.data());
        }
        throw GobException.mismatch("a proc key must be marshaled text, got " + v.getClass().getSimpleName());
    }

    static GobValue procKey(ProcKey k) {
        return new GobValue.Marshaled("ProcKey", k.hex().getBytes(StandardCharsets.US_ASCII));
    }

    static List<String> strings(GobValue.Struct s, String field) {
        Optional<GobValue> v = s.get(field);
        if (v.isEmpty()) {
            return List.of();
        }
        if (!(v.get() instanceof GobValue.Sequence seq)) {
            throw GobException.mismatch(s.typeName() + "." + field + " must be a []string");
        }
        List<String> out = new ArrayList<>();
        for (GobValue e : seq.elements()) {
            out.add(string(e, s.typeName() + "." + field + "[" + out.size() + "]"));
        }
        return out;
    }

    /** time.Time.MarshalBinary, version 1, in UTC (zone offset -1), as Go writes a UTC time. */
    static byte[] goTime(Instant t) {
        ByteBuffer b = ByteBuffer.allocate(15);
        b.put((byte) 1);
        b.putLong(t.getEpochSecond() + GO_EPOCH_TO_UNIX);
        b.putInt(t.getNano());
        b.putShort((short) -1);
        return b.array();
    }

    /** Version 1 (15 bytes) or 2 (16, with offset seconds); the zone does not change the instant. */
    static Instant goTime(byte[] raw) {
        if (raw.length == 0 || !(raw[0] == 1 && raw.length == 15 || raw[0] == 2 && raw.length == 16)) {
            throw AppProtocolException.badMessage("time.Time of " + raw.length + " bytes with version "
                    + (raw.length == 0 ? "none" : raw[0]) + " is not one Go writes");
        }
        ByteBuffer b = ByteBuffer.wrap(raw, 1, raw.length - 1);
        long sec = b.getLong();
        int nanos = b.getInt();
        if (nanos < 0 || nanos > 999_999_999) {
            throw AppProtocolException.badMessage("time.Time nanoseconds " + nanos + " out of range");
        }
        try {
            return Instant.ofEpochSecond(Math.subtractExact(sec, GO_EPOCH_TO_UNIX), nanos);
        } catch (ArithmeticException | DateTimeException e) {
            throw AppProtocolException.badMessage("time.Time seconds " + sec + " out of range");
        }
    }

    /** Go's zero time.Time, which a deadline uses to mean "none". */
    static boolean isGoZeroTime(Instant t) {
        return t.getEpochSecond() == -GO_EPOCH_TO_UNIX && t.getNano() == 0;
    }
}
