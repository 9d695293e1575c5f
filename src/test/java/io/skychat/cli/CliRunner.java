package io.skychat.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs verbs in this JVM with captured stdout/stderr and a private environment. */
final class CliRunner {

    record Result(int exit, String out, String err) {
    }

    private final Map<String, String> variables = new HashMap<>();
    private final Path workingDirectory;

    CliRunner(Path home) {
        this.workingDirectory = home;
        variables.put("HOME", home.toString());
        variables.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    }

    CliRunner env(String name, String value) {
        variables.put(name, value);
        return this;
    }

    CliEnv cliEnv() {
        return new CliEnv(Map.copyOf(variables), workingDirectory);
    }

    Aliases aliasesFor() {
        return Aliases.load(cliEnv());
    }

    Result run(String... args) {
        return run(new ByteArrayOutputStream(), args);
    }

    /** Runs with {@code out} as stdout, for verbs a test watches while they run. */
    Result run(ByteArrayOutputStream out, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Cli.run(args, o, e, cliEnv());
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
