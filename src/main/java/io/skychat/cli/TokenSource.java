package io.skychat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the control API's bearer token, first hit wins: {@code --token}, env {@code SKYCHAT_TOKEN},
 * {@code --token-file}, then the service's default {@code ./skychat-data/api.token}. None means no header.
 */
final class TokenSource {

    static final String ENV = "SKYCHAT_TOKEN";
    static final Path DEFAULT_FILE = Path.of("skychat-data", "api.token");

    private TokenSource() {
    }

    static String resolve(Args args, CliEnv env) {
        String flag = args.get("token");
        if (flag != null && !flag.isBlank()) {
            return flag.strip();
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null) {
            return fromEnv.strip();
        }
        String file = args.get("token-file");
        if (file != null) {
            Path path = env.workingDirectory().resolve(file);
            if (!Files.isReadable(path)) {
                throw CliException.usage("--token-file " + file + ": cannot read it");
            }
            return read(path);
        }
        Path fallback = env.workingDirectory().resolve(DEFAULT_FILE);
        return Files.isReadable(fallback) ? read(fallback) : null;
    }

    private static String read(Path path) {
        try {
            String token = Files.readString(path).strip();
            return token.isEmpty() ? null : token;
        } catch (IOException e) {
            throw CliException.usage("cannot read token file " + path + ": " + e.getMessage());
        }
    }
}
