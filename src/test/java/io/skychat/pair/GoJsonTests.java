package io.skychat.pair;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Go's encoding/json quirks the vectors do not exercise but a user's text will. */
class GoJsonTests {

    static String quoted(String s) {
        StringBuilder b = new StringBuilder();
        GoJson.quote(b, s);
        return b.toString();
    }

    @Test
    void htmlCharactersAndLineSeparatorsAreEscapedAsGoDoes() {
        assertThat(quoted("a<b>&c")).isEqualTo("\"a\\u003cb\\u003e\\u0026c\"");
        assertThat(quoted("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
        assertThat(quoted("\"\\\n\r\t\u0001")).isEqualTo("\"\\\"\\\\\\n\\r\\t\\u0001\"");
        assertThat(quoted("h\u00e9 \uD83D\uDE00")).isEqualTo("\"h\u00e9 \uD83D\uDE00\"");
        assertThat(quoted("\uD83D")).isEqualTo("\"\\ufffd\"");
    }

    @Test
    void timesDropTrailingZerosAndAWholeSecondHasNoFraction() {
        assertThat(GoJson.time(Instant.parse("2025-05-11T21:46:40.500Z"))).isEqualTo("2025-05-11T21:46:40.5Z");
        assertThat(GoJson.time(Instant.parse("2025-05-11T21:46:40Z"))).isEqualTo("2025-05-11T21:46:40Z");
        assertThat(GoJson.time(Instant.parse("2025-05-11T21:46:40.000000001Z"))).isEqualTo("2025-05-11T21:46:40.000000001Z");
    }

    @Test
    void unixNanoWrapsBeyondInt64AsGoDoes() {
        assertThat(GoJson.unixNano(Instant.parse("2025-05-11T21:46:40.5Z"))).isEqualTo(1747000000500000000L);
        // year 2825: Go's sec*1e9+nsec overflows int64 and wraps; a leaf signed upstream carries those bits
        Instant far = Instant.parse("2825-05-11T21:46:40.5Z");
        long wrapped = BigInteger.valueOf(far.getEpochSecond()).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(500_000_000L)).longValue(); // the low 64 bits, two's complement
        assertThat(GoJson.unixNano(far)).isEqualTo(wrapped);
    }
}
