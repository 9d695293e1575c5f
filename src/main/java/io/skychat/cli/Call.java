package io.skychat.cli;

import java.io.PrintStream;

/** One run of a verb: its parsed arguments, where its output goes and what it may read. */
record Call(String verb, Args args, PrintStream out, PrintStream err, CliEnv env) {

    boolean json() {
        return args.flag("json");
    }

    String addr() {
        return args.get("addr", ServiceClient.DEFAULT_ADDR);
    }

    ServiceClient service() {
        return new ServiceClient(addr(), TokenSource.resolve(args, env));
    }

    Aliases aliases() {
        return Aliases.load(env);
    }

    /** A note for the person at the terminal; never on stdout. */
    void note(String line) {
        err.println("skychat " + verb + ": " + line);
    }
}
