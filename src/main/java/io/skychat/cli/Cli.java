package io.skychat.cli;

import java.io.PrintStream;
import java.util.Arrays;

import io.skychat.crypto.KeyPair;

/**
 * The command-line face of the jar. Verbs that need no running service (such as {@code gen-keys}) run
 * here without starting Spring, so they answer in well under a second.
 */
public final class Cli {

    /** Exit codes scripts can rely on. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private Cli() {
    }

    /** A first argument that is not a flag names a verb. */
    public static boolean isVerb(String[] args) {
        return args.length > 0 && !args[0].startsWith("-");
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String verb = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (verb) {
            case "gen-keys":
                return genKeys(rest, out, err);
            case "help":
                usage(out);
                return OK;
            default:
                err.println("skychat: unknown command \"" + verb + "\" (try: skychat help)");
                return USAGE;
        }
    }

    /** Like {@code skywire cli config gen-keys}: public key on line 1, secret key on line 2. */
    static int genKeys(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0) {
            err.println("skychat gen-keys: takes no arguments");
            return USAGE;
        }
        KeyPair key = KeyPair.generate();
        out.println(key.publicKey().hex());
        out.println(key.secretHex());
        key.destroy();
        return OK;
    }

    private static void usage(PrintStream out) {
        out.println("usage: skychat <command> [flags]    run a command against a running service");
        out.println("       skychat [server flags]       run the service (see README.md)");
        out.println();
        out.println("commands:");
        out.println("  gen-keys    print a new key pair: public key, then secret key");
        out.println("  help        show this text");
    }
}
