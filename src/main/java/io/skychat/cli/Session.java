package io.skychat.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The global flags a console or a script was started with ({@code --addr}, {@code --token},
 * {@code --token-file}); each line gets them unless it sets its own. A line naming either token flag
 * replaces both, so a line's {@code --token} is never outranked by the session's {@code --token-file}.
 */
record Session(String addr, String token, String tokenFile) {

    static Session of(Args args) {
        return new Session(args.get("addr"), args.get("token"), args.get("token-file"));
    }

    /** The address verbs of this session talk to. */
    String addrOrDefault() {
        return addr != null ? addr : ServiceClient.DEFAULT_ADDR;
    }

    /** {@code words} ({@code verb flag…}) with the session's flags put in front of the line's own. */
    String[] argv(List<String> words) {
        if (words.isEmpty()) {
            return new String[0];
        }
        Verb verb = Cli.verbs().get(words.get(0));
        List<String> rest = words.subList(1, words.size());
        if (verb == null) {
            return words.toArray(String[]::new);
        }
        Args own;
        try {
            own = Args.parse(rest.toArray(String[]::new), verb.options());
        } catch (CliException e) {
            return words.toArray(String[]::new); // the verb's own run reports it
        }
        List<String> argv = new ArrayList<>();
        argv.add(words.get(0));
        if (addr != null && !own.has("addr")) {
            argv.addAll(List.of("--addr", addr));
        }
        if (!own.has("token") && !own.has("token-file")) {
            if (token != null) {
                argv.addAll(List.of("--token", token));
            }
            if (tokenFile != null) {
                argv.addAll(List.of("--token-file", tokenFile));
            }
        }
        argv.addAll(rest);
        return argv.toArray(String[]::new);
    }

    /** A client for what the console itself asks the service (completion candidates). */
    ServiceClient service(CliEnv env) {
        List<String> flags = new ArrayList<>();
        if (token != null) {
            flags.addAll(List.of("--token", token));
        }
        if (tokenFile != null) {
            flags.addAll(List.of("--token-file", tokenFile));
        }
        return new ServiceClient(addrOrDefault(), TokenSource.resolve(Args.parse(flags.toArray(String[]::new), List.of()), env));
    }
}
