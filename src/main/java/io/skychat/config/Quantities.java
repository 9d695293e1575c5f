package io.skychat.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses upstream-style quantities ({@code 20/min}, {@code 10MB}, {@code 30d}); bare numbers keep upstream's units. */
final class Quantities {

    private static final Pattern RATE = Pattern.compile("(\\d+)\\s*(?:/\\s*(s|sec|m|min|h|hour))?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|k|mb|m|gb|g)?");
    private static final Pattern AGE = Pattern.compile("(\\d+)\\s*(s|m|h|d)?");

    private Quantities() {
    }

    /** Per minute. */
    static int ratePerMinute(String spec, String flag) {
        Matcher m = RATE.matcher(spec.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + ": \"" + spec + "\" is not a rate like 20/min or 5/s");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "min" : m.group(2);
        long perMinute = switch (unit) {
            case "s", "sec" -> n * 60;
            case "h", "hour" -> Math.max(1, n / 60);
            default -> n;
        };
        return (int) Math.min(Integer.MAX_VALUE, perMinute);
    }

    /** Bytes; a bare number is megabytes, as upstream's flag. */
    static long bytes(String spec, String flag) {
        Matcher m = SIZE.matcher(spec.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + ": \"" + spec + "\" is not a size like 10MB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "mb" : m.group(2);
        long bytes = switch (unit) {
            case "b" -> n;
            case "kb", "k" -> n << 10;
            case "gb", "g" -> n << 30;
            default -> n << 20;
        };
        if (bytes < 1) {
            throw new IllegalArgumentException(flag + ": must be more than zero");
        }
        return bytes;
    }

    /** A bare number is days, as upstream's flag. */
    static Duration age(String spec, String flag) {
        Matcher m = AGE.matcher(spec.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + ": \"" + spec + "\" is not an age like 30d or 12h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "d" : m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
