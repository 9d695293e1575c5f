package io.skychat.cli;

import java.util.List;

/**
 * {@code skychat shell}: the interactive console. Every verb is there under its own name, with the same
 * flags and help, plus tab completion and a history; see {@link ShellConsole}.
 */
final class ShellVerb implements Verb {

    @Override
    public String name() {
        return "shell";
    }

    @Override
    public String summary() {
        return "interactive console: every verb, tab completion, history";
    }

    @Override
    public String synopsis() {
        return "skychat shell [--addr <host:port>] [--token <token> | --token-file <path>]";
    }

    @Override
    public List<Args.Option> options() {
        return List.of();
    }

    @Override
    public List<String> examples() {
        return List.of(
                "skychat shell --addr 127.0.0.1:8002",
                "skychat> send -t bob -m \"-- hi there\"",
                "skychat> listen            # Ctrl-C stops it and returns to the prompt",
                "skychat> script morning.skychat",
                "keys: Tab completes verbs, flags, aliases and peers; Ctrl-C clears the line; Ctrl-D or exit leaves");
    }

    @Override
    public int run(Call call) {
        if (!call.args().positional().isEmpty()) {
            throw CliException.usage("shell takes no arguments, got \"" + call.args().positional().get(0) + "\"");
        }
        if (ShellConsole.active()) {
            throw CliException.usage("already in the shell");
        }
        return ShellConsole.run(Session.of(call.args()), call);
    }
}
