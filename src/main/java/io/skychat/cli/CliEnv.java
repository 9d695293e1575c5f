package io.skychat.cli;

import java.nio.file.Path;
import java.util.Map;

/** What a verb may read from outside its arguments; tests pass their own instead of the process's. */
record CliEnv(Map<String, String> variables, Path workingDirectory) {

    static CliEnv system() {
        return new CliEnv(System.getenv(), Path.of("").toAbsolutePath());
    }

    String get(String name) {
        String v = variables.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
