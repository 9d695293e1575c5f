package io.skychat;

import io.skychat.cli.Cli;
import io.skychat.config.CommandLineFlags;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One jar, two faces: with a verb ({@code skychat send …}) it is the command-line client, otherwise it is
 * the service, configured by upstream's flags ({@code --standalone --addr :8002 --tcp-listen :8800 …}).
 */
@SpringBootApplication
public class SkychatApplication {

    public static void main(String[] args) {
        if (Cli.isVerb(args)) {
            System.exit(Cli.run(args));
        }
        String[] springArgs;
        try {
            springArgs = CommandLineFlags.toSpringArguments(args);
        } catch (IllegalArgumentException e) {
            System.err.println("skychat: " + e.getMessage());
            System.exit(2);
            return;
        }
        SpringApplication.run(SkychatApplication.class, springArgs);
    }
}
