package io.skychat.cli;

/**
 * A failure the CLI reports as one line on stderr and an exit code; never a stack trace.
 * The named factories are the exit-code table documented in {@code docs/cli.md}.
 */
final class CliException extends RuntimeException {

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    static CliException failed(String message) {
        return new CliException(Cli.FAILED, message);
    }

    static CliException usage(String message) {
        return new CliException(Cli.USAGE, message);
    }

    static CliException unreachable(String message) {
        return new CliException(Cli.UNREACHABLE, message);
    }

    static CliException auth(String message) {
        return new CliException(Cli.AUTH, message);
    }

    static CliException unavailable(String message) {
        return new CliException(Cli.UNAVAILABLE, message);
    }
}
