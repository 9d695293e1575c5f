package io.skychat.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command-line face of the jar: {@code skychat <verb> [flags]}. Verbs talk to a running service over
 * HTTP and never start Spring, so they answer quickly; stdout carries only the verb's output, every
 * diagnostic goes to stderr as one line, and the exit code says what went wrong (see docs/cli.md).
 */
public final class Cli {

    /** Exit codes scripts can rely on; the table is in docs/cli.md. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int AUTH = 4;
    public static final int UNAVAILABLE = 5;
    public static final int INTERRUPTED = 130;

    private static final Map<String, Verb> VERBS = new LinkedHashMap<>();

    static {
        for (Verb v : List.of(new SendVerb(), new ListenVerb(), new ChatVerb(), new StatusVerb(), new HistoryVerb(),
                new EventsVerb(), new AliasVerb(), new GenKeysVerb(), new CompletionVerb(), new PairVerb(), new ShellVerb(),
                new ScriptVerb(), new GroupVerb())) {
            VERBS.put(v.name(), v);
        }
    }

    private Cli() {
    }

    /**
     * A first argument that is not a flag names a verb; {@code --help} also belongs to the CLI. So does a word
     * after global flags ({@code skychat --addr 127.0.0.1:8001 status}): the service takes no such word, so
     * one that is no verb is the CLI's to refuse.
     */
    public static boolean isVerb(String[] args) {
        String[] a = verbFirst(args);
        return a.length > 0 && (!a[0].startsWith("-") || a[0].equals("--help") || a[0].equals("-h"));
    }

    /**
     * {@code args} with the global flags written before the first word moved after it ({@code --addr X status}
     * becomes {@code status --addr X}); anything else (a service's flags) unchanged.
     */
    static String[] verbFirst(String[] args) {
        int i = 0;
        while (i < args.length && args[i].startsWith("--")) {
            String name = args[i].substring(2);
            int eq = name.indexOf('=');
            Args.Option global = globalOption(eq < 0 ? name : name.substring(0, eq));
            if (global == null || global.longName().equals("help")) {
                return args;
            }
            i += global.takesValue() && eq < 0 ? 2 : 1;
        }
        if (i == 0 || i >= args.length || args[i].startsWith("-")) {
            return args;
        }
        String[] out = new String[args.length];
        out[0] = args[i];
        System.arraycopy(args, 0, out, 1, i);
        System.arraycopy(args, i + 1, out, i + 1, args.length - i - 1);
        return out;
    }

    private static Args.Option globalOption(String longName) {
        for (Args.Option o : Args.GLOBAL) {
            if (o.longName().equals(longName)) {
                return o;
            }
        }
        return null;
    }

    public static int run(String[] args) {
        // Before any logger exists: library logging goes to stderr, warnings only, never onto stdout.
        System.setProperty("logback.configurationFile", "skychat-cli-logback.xml");
        return run(args, System.out, System.err, CliEnv.system());
    }

    static int run(String[] given, PrintStream out, PrintStream err, CliEnv env) {
        String[] args = verbFirst(given);
        String name = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (name.equals("help") || name.equals("--help") || name.equals("-h")) {
            if (rest.length > 0 && VERBS.containsKey(rest[0])) {
                out.print(help(VERBS.get(rest[0])));
            } else {
                out.print(usage());
            }
            return OK;
        }
        Verb verb = VERBS.get(name);
        if (verb == null) {
            err.println("skychat: unknown command \"" + name + "\" (try: skychat help)");
            return USAGE;
        }
        try {
            Args parsed = Args.parse(rest, verb.options());
            if (parsed.flag("help")) {
                out.print(help(verb));
                return OK;
            }
            return verb.run(new Call(name, parsed, out, err, env));
        } catch (CliException e) {
            if (e.exitCode() != INTERRUPTED) {
                err.println("skychat " + name + ": " + e.getMessage());
            }
            if (e.exitCode() == USAGE) {
                err.println("(see: skychat " + name + " --help)");
            }
            return e.exitCode();
        } catch (Exception e) {
            err.println("skychat " + name + ": unexpected error: " + e);
            if (env.get("SKYCHAT_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return FAILED;
        }
    }

    static Map<String, Verb> verbs() {
        return VERBS;
    }

    static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("usage: skychat <command> [flags]    run a command against a running service\n");
        b.append("       skychat [server flags]       run the service (see README.md)\n\n");
        b.append("commands:\n");
        for (Verb v : VERBS.values()) {
            b.append(String.format("  %-11s %s%n", v.name(), v.summary()));
        }
        b.append(String.format("  %-11s %s%n", "help", "show this text; help <command> for one command"));
        b.append("\nglobal flags:\n");
        appendOptions(b, Args.GLOBAL);
        b.append("\nexit codes: 0 ok, 1 failed or not acked, 2 usage, 3 service unreachable, 4 auth failed,\n");
        b.append("            5 feature unavailable on this service (see docs/cli.md)\n");
        return b.toString();
    }

    static String help(Verb verb) {
        StringBuilder b = new StringBuilder();
        b.append("skychat ").append(verb.name()).append(" — ").append(verb.summary()).append("\n\n");
        b.append("usage: ").append(verb.synopsis()).append("\n");
        if (!verb.options().isEmpty()) {
            b.append("\nflags:\n");
            appendOptions(b, verb.options());
        }
        b.append("\nglobal flags:\n");
        appendOptions(b, Args.GLOBAL);
        if (!verb.examples().isEmpty()) {
            b.append("\nexamples:\n");
            verb.examples().forEach(e -> b.append("  ").append(e).append("\n"));
        }
        return b.toString();
    }

    private static void appendOptions(StringBuilder b, List<Args.Option> options) {
        List<String[]> rows = new ArrayList<>();
        for (Args.Option o : options) {
            String names = (o.shortName() != 0 ? "-" + o.shortName() + ", " : "    ") + "--" + o.longName()
                    + (o.takesValue() ? " <" + o.valueName() + ">" : "");
            rows.add(new String[] {names, o.description()});
        }
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] r : rows) {
            b.append("  ").append(r[0]).append(" ".repeat(width - r[0].length() + 2)).append(r[1]).append("\n");
        }
    }
}
