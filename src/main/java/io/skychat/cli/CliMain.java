package io.skychat.cli;

/**
 * The verbs' own entry point, which bin/skychat runs from the extracted jar with a class-data archive: it
 * names nothing of the service, so a verb loads only the classes it uses (no Spring, no Netty, no logging
 * unless {@code send --via} needs them). {@code java -jar skychat.jar <verb>} reaches the same {@link Cli}.
 */
public final class CliMain {

    private CliMain() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(args.length == 0 ? new String[] {"help"} : args));
    }
}
