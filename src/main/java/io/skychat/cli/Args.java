package io.skychat.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A verb's command line, parsed from argv as the shell split it: {@code -t pk}, {@code --to pk},
 * {@code --to=pk}, boolean flags, {@code --} ending the options. A value is taken verbatim, so a message
 * may contain spaces, quotes or start with a dash.
 */
final class Args {

    /** One option a verb accepts; {@code shortName} is 0 when there is none. */
    record Option(String longName, char shortName, String valueName, String description) {
        boolean takesValue() {
            return valueName != null;
        }

        static Option flag(String longName, char shortName, String description) {
            return new Option(longName, shortName, null, description);
        }

        static Option value(String longName, char shortName, String valueName, String description) {
            return new Option(longName, shortName, valueName, description);
        }
    }

    /** Accepted by every verb. */
    static final List<Option> GLOBAL = List.of(
            Option.value("addr", (char) 0, "host:port", "skychat HTTP address (default 127.0.0.1:8001)"),
            Option.flag("json", (char) 0, "machine-readable output"),
            Option.value("token", (char) 0, "token", "bearer token for the control API"),
            Option.value("token-file", (char) 0, "path", "file holding the bearer token"),
            Option.flag("help", 'h', "show help for this command"));

    private final Map<String, String> values;
    private final List<String> positional;

    private Args(Map<String, String> values, List<String> positional) {
        this.values = values;
        this.positional = positional;
    }

    static Args parse(String[] argv, List<Option> verbOptions) {
        Map<String, Option> byLong = new HashMap<>();
        Map<Character, Option> byShort = new HashMap<>();
        List<Option> all = new ArrayList<>(GLOBAL);
        all.addAll(verbOptions);
        for (Option o : all) {
            byLong.put(o.longName(), o);
            if (o.shortName() != 0) {
                byShort.put(o.shortName(), o);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("--")) {
                positional.addAll(List.of(argv).subList(i + 1, argv.length));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            String name;
            String inline = null;
            Option option;
            if (arg.startsWith("--")) {
                String body = arg.substring(2);
                int eq = body.indexOf('=');
                name = eq < 0 ? body : body.substring(0, eq);
                inline = eq < 0 ? null : body.substring(eq + 1);
                option = byLong.get(name);
            } else {
                name = arg.substring(1);
                if (name.length() > 1 && name.charAt(1) == '=') {
                    inline = name.substring(2);
                    name = name.substring(0, 1);
                }
                option = name.length() == 1 ? byShort.get(name.charAt(0)) : null;
            }
            if (option == null) {
                throw CliException.usage("unknown flag " + arg.split("=", 2)[0]);
            }
            String value;
            if (!option.takesValue()) {
                value = inline == null ? "true" : inline;
                if (!value.equals("true") && !value.equals("false")) {
                    throw CliException.usage("flag --" + option.longName() + " takes no value");
                }
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < argv.length) {
                value = argv[++i];
            } else {
                throw CliException.usage("flag --" + option.longName() + " needs a value (" + option.valueName() + ")");
            }
            values.put(option.longName(), value);
        }
        return new Args(values, positional);
    }

    String get(String longName) {
        return values.get(longName);
    }

    String get(String longName, String fallback) {
        return values.getOrDefault(longName, fallback);
    }

    boolean has(String longName) {
        return values.containsKey(longName);
    }

    boolean flag(String longName) {
        return "true".equals(values.get(longName));
    }

    int intValue(String longName, int fallback, int min, int max) {
        String v = values.get(longName);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw CliException.usage("--" + longName + " takes a number, got \"" + v + "\"");
        }
        if (n < min || n > max) {
            throw CliException.usage("--" + longName + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    List<String> positional() {
        return positional;
    }

    String require(String longName) {
        String v = values.get(longName);
        if (v == null || v.isBlank()) {
            throw CliException.usage("--" + longName + " is required");
        }
        return v;
    }
}
