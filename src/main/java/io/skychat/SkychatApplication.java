package io.skychat;

import io.skychat.cli.Cli;
import io.skychat.config.CommandLineFlags;
import io.skychat.transport.visor.AppProtocolException;
import io.skychat.transport.visor.ProcConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One jar, two faces: with a verb ({@code skychat send …}) it is the command-line client, otherwise it is
 * the service, configured by upstream's flags ({@code --standalone --addr :8002 --tcp-listen :8800 …}).
 */
// Spring Shell's auto-configuration belongs to `skychat shell` alone (cli/ShellConsole imports it); the service
// must never see it, or its program arguments would be run as shell commands.
@SpringBootApplication(excludeName = "org.springframework.shell.core.autoconfigure.SpringShellAutoConfiguration")
public class SkychatApplication {

    public static void main(String[] args) {
        if (Cli.isVerb(args)) {
            System.exit(Cli.run(args));
        }
        String[] springArgs;
        try {
            springArgs = CommandLineFlags.toSpringArguments(visorArguments(args, System.getenv(ProcConfig.ENV)));
        } catch (IllegalArgumentException | AppProtocolException e) {
            System.err.println("skychat: " + e.getMessage());
            System.exit(2);
            return;
        }
        SpringApplication.run(SkychatApplication.class, springArgs);
    }

    /**
     * Started by a visor, argv is the launcher's {@code proc_args} already; if it is empty they are taken from
     * {@code PROC_CONFIG}. A PROC_CONFIG that does not parse stops the start here, in one line, with exit code 2.
     */
    static String[] visorArguments(String[] args, String procConfig) {
        if (procConfig == null) {
            return args;
        }
        ProcConfig config = ProcConfig.parse(procConfig);
        return args.length > 0 ? args : config.procArgs().toArray(String[]::new);
    }
}
