package io.skychat.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations as upstream's flags take them: {@code 5s}, {@code 500ms}, {@code 1h30m}; a bare number is seconds. */
final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {
    }

    static Duration parse(String flag, String text) {
        String s = text == null ? "" : text.strip();
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = PART.matcher(s);
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L;
            };
            nanos += (long) (n * unit);
            end = m.end();
        }
        if (s.isEmpty() || end != s.length()) {
            throw CliException.usage(flag + " takes a duration such as 5s, 500ms or 2h, got \"" + text + "\"");
        }
        return Duration.ofNanos(nanos);
    }
}
