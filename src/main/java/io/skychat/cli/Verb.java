package io.skychat.cli;

import java.util.List;

/** One {@code skychat <verb>}: its flags, its help text and what it does. */
interface Verb {

    String name();

    /** One line for the command list. */
    String summary();

    /** The synopsis line after "usage:". */
    String synopsis();

    List<Args.Option> options();

    /** Example invocations, one per line, shown by {@code --help}. */
    List<String> examples();

    /** Runs the verb; returns the exit code or throws a {@link CliException}. */
    int run(Call call) throws Exception;
}
