package io.skychat.transport.gob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.support.Fuzz;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Kinds the vectors do not use (floats, maps, slices of structs) survive encode then decode on one stream. */
class GobRoundTripTests {

    static final long[] SEEDS = Fuzz.SEEDS;

    static final GobType.Struct POINT = GobType.Struct.of("Point",
            GobType.field("X", GobType.Builtin.INT), GobType.field("Label", GobType.Builtin.STRING));
    static final GobType.Struct EVERYTHING = GobType.Struct.of("Everything",
            GobType.field("Flag", GobType.Builtin.BOOL),
            GobType.field("Signed", GobType.Builtin.INT),
            GobType.field("Unsigned", GobType.Builtin.UINT),
            GobType.field("Real", GobType.Builtin.FLOAT),
            GobType.field("Pair", GobType.Builtin.COMPLEX),
            GobType.field("Raw", GobType.Builtin.BYTES),
            GobType.field("Text", GobType.Builtin.STRING),
            GobType.field("Points", new GobType.Slice("[]Point", POINT)),
            GobType.field("Hash", new GobType.Array("Hash", GobType.Builtin.UINT, 4)),
            GobType.field("Tags", new GobType.MapOf("map[string]int", GobType.Builtin.STRING, GobType.Builtin.INT)),
            GobType.field("Key", new GobType.Marshaler(GobType.Marshaling.BINARY_MARSHALER, "Key")),
            GobType.field("Origin", POINT));

    /** A random value of EVERYTHING; zero basic values are left out, as they will be after decoding. */
    static GobValue.Struct randomValue(Random r) {
        GobValue.Struct.Builder b = GobValue.Struct.builder("Everything");
        if (r.nextBoolean()) {
            b.put("Flag", new GobValue.Bool(true));
        }
        long s = r.nextLong() >> r.nextInt(64);
        b.put("Signed", s == 0 ? null : new GobValue.Int(s));
        long u = r.nextLong() >>> r.nextInt(64);
        b.put("Unsigned", u == 0 ? null : new GobValue.Uint(u));
        double d = r.nextInt(3) == 0 ? 0 : r.nextGaussian() * 1e6;
        b.put("Real", d == 0 ? null : new GobValue.Float(d));
        b.put("Pair", r.nextBoolean() ? new GobValue.Complex(r.nextDouble(), -r.nextDouble()) : null);
        byte[] raw = new byte[r.nextInt(40)];
        r.nextBytes(raw);
        b.put("Raw", raw.length == 0 ? null : new GobValue.Bytes(raw));
        b.put("Text", r.nextBoolean() ? new GobValue.Str("héllo " + r.nextInt()) : null);
        List<GobValue> points = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            points.add(point(r));
        }
        b.put("Points", points.isEmpty() ? null : new GobValue.Sequence(points));
        List<GobValue> hash = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            hash.add(new GobValue.Uint(r.nextInt(256))); // array elements are sent even when zero
        }
        b.put("Hash", new GobValue.Sequence(hash));
        Map<String, Long> tags = new LinkedHashMap<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            tags.put("t" + r.nextInt(100), (long) r.nextInt());
        }
        List<GobValue.Entry> entries = new ArrayList<>();
        tags.forEach((k, v) -> entries.add(new GobValue.Entry(new GobValue.Str(k), new GobValue.Int(v))));
        b.put("Tags", entries.isEmpty() ? null : new GobValue.MapOf(entries));
        b.put("Key", r.nextBoolean() ? new GobValue.Marshaled("Key", raw) : null);
        b.put("Origin", point(r));
        return b.build();
    }

    private static GobValue point(Random r) {
        GobValue.Struct.Builder p = GobValue.Struct.builder("Point");
        int x = r.nextInt(5) - 2;
        p.put("X", x == 0 ? null : new GobValue.Int(x));
        if (r.nextBoolean()) {
            p.put("Label", new GobValue.Str("p" + r.nextInt(10)));
        }
        return p.build();
    }

    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void valuesSurviveAStream(long seed) {
        Random r = new Random(seed);
        GobStreamEncoder encoder = new GobStreamEncoder(GobStreamEncoder.FIRST_ID_GO_1_23);
        GobStreamDecoder decoder = new GobStreamDecoder();
        for (int i = 0; i < 50; i++) {
            GobValue.Struct v = randomValue(r);
            GobValue back = decoder.next(ByteBuffer.wrap(encoder.encode(EVERYTHING, v))).orElseThrow();
            assertThat(back).isEqualTo(v);
        }
        assertThat(decoder.types()).as("Everything, Point, []Point, Hash, map, Key").hasSize(6);
    }

    @Test
    void definitionsAreSentOnlyBeforeTheFirstValue() {
        GobStreamEncoder encoder = new GobStreamEncoder(GobStreamEncoder.FIRST_ID_GO_1_23);
        GobValue v = randomValue(new Random(1));
        byte[] first = encoder.encode(EVERYTHING, v);
        byte[] second = encoder.encode(EVERYTHING, v);
        assertThat(second.length).isLessThan(first.length);
        assertThat(java.util.Arrays.copyOfRange(first, first.length - second.length, first.length)).isEqualTo(second);
    }

    @Test
    void topLevelZeroValuesAreStillSent() {
        GobStreamEncoder encoder = new GobStreamEncoder(GobStreamEncoder.FIRST_ID_GO_1_23);
        GobStreamDecoder decoder = new GobStreamDecoder();
        GobValue back = decoder.next(ByteBuffer.wrap(encoder.encode(GobType.Builtin.UINT, new GobValue.Uint(0))))
                .orElseThrow();
        assertThat(back).isEqualTo(new GobValue.Uint(0));
    }

    @Test
    void aValueThatDoesNotFitItsTypeIsAProgrammingError() {
        GobStreamEncoder encoder = new GobStreamEncoder(GobStreamEncoder.FIRST_ID_GO_1_23);
        assertThatThrownBy(() -> encoder.encode(POINT, GobValue.Struct.builder("Point")
                .put("Y", new GobValue.Int(1)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no field Y");
        assertThatThrownBy(() -> encoder.encode(GobType.Builtin.STRING, new GobValue.Int(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
