package io.skychat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code skychat script <file>}: runs the verbs in a file, one per line, in this one process, so twenty
 * verbs pay for one JVM start. Lines split like {@code sh} words (see {@link Words}); blank lines and
 * {@code #} comments are skipped. The first verb that fails stops the script, and its exit code is the
 * script's.
 */
final class ScriptVerb implements Verb {

    /** Scripts may run scripts, but not without end. */
    static final int MAX_DEPTH = 8;

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    @Override
    public String name() {
        return "script";
    }

    @Override
    public String summary() {
        return "run verbs from a file, one per line, in one process; stops at the first that fails";
    }

    @Override
    public String synopsis() {
        return "skychat script <file|-> [--addr <host:port>] [--token <token> | --token-file <path>]";
    }

    @Override
    public List<Args.Option> options() {
        return List.of();
    }

    @Override
    public List<String> examples() {
        return List.of(
                "skychat script morning.skychat --addr 127.0.0.1:8002",
                "printf 'status\\nsend -t bob -m \"hi there\"\\n' | skychat script -",
                "# in the file: one verb per line, # comments, \"quoted words\" as in sh:",
                "#   alias add bob 03fe8f6dcb…a8e3",
                "#   send -t bob -m \"-- hi there\" -w 5s");
    }

    @Override
    public int run(Call call) {
        List<String> p = call.args().positional();
        if (p.size() != 1) {
            throw CliException.usage("usage: skychat script <file> (or - for standard input)");
        }
        String name = p.get(0);
        List<String> lines = read(name, call.env());
        int[] depth = DEPTH.get();
        if (depth[0] >= MAX_DEPTH) {
            throw CliException.usage("scripts nested more than " + MAX_DEPTH + " deep (" + name + ")");
        }
        depth[0]++;
        try {
            return runLines(name, lines, Session.of(call.args()), call);
        } finally {
            depth[0]--;
        }
    }

    private static List<String> read(String name, CliEnv env) {
        try {
            if (name.equals("-")) {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
            return Files.readAllLines(env.workingDirectory().resolve(Path.of(name)), StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
            throw CliException.failed("cannot read script " + name + ": " + e.getMessage());
        }
    }

    static int runLines(String name, List<String> lines, Session session, Call call) {
        for (int i = 0; i < lines.size(); i++) {
            String where = name + ":" + (i + 1);
            List<String> words;
            try {
                words = Words.split(lines.get(i));
            } catch (CliException e) {
                call.note(where + ": " + e.getMessage());
                return e.exitCode();
            }
            if (words.isEmpty()) {
                continue;
            }
            if (words.get(0).equals("shell")) {
                call.note(where + ": the interactive shell cannot run inside a script");
                return Cli.USAGE;
            }
            int code = Cli.run(session.argv(words), call.out(), call.err(), call.env());
            call.out().flush();
            if (code != Cli.OK) {
                call.note(where + ": " + words.get(0) + " exited with " + code + "; the rest of the script is skipped");
                return code;
            }
            if (Thread.currentThread().isInterrupted()) {
                return Cli.INTERRUPTED;
            }
        }
        return Cli.OK;
    }
}
