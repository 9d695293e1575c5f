package io.skychat.pair;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The few pieces of Go's {@code encoding/json} output the pair leaves need byte for byte: string quoting
 * (HTML characters and U+2028/9 escaped) and {@code time.Time} as RFC 3339 with trailing zeros trimmed.
 */
public final class GoJson {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJson() {
    }

    /** Appends {@code s} as Go's encoding/json quotes it. */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        unicode(out, c);
                    } else if (Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            out.append("\\ufffd"); // Go replaces what is not UTF-8
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicode(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
    }

    /** Go's {@code time.Time.MarshalJSON} for a UTC time: RFC3339Nano, fraction without trailing zeros. */
    public static String time(Instant t) {
        StringBuilder s = new StringBuilder(SECONDS.format(t));
        int nanos = t.getNano();
        if (nanos != 0) {
            String frac = String.format("%09d", nanos);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            s.append('.').append(frac, 0, end);
        }
        return s.append('Z').toString();
    }

    /** Go's {@code UnixNano}: outside 1678..2262 it wraps in int64 as Go's does, so both sides get the same bits. */
    public static long unixNano(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
