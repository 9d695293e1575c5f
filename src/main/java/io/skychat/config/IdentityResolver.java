package io.skychat.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.skychat.crypto.KeyPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds this node's key the way upstream does, first hit wins: {@code --sk}, env {@code DMSGCURL_SK},
 * {@code -c skywire-config.json} (its {@code sk} field); with none of them a random key is used for this
 * run only, and the log says so loudly because peers cannot find an ephemeral key again.
 */
final class IdentityResolver {

    private static final Logger log = LoggerFactory.getLogger(IdentityResolver.class);

    record Identity(KeyPair keyPair, String source) {
    }

    private IdentityResolver() {
    }

    static Identity resolve(String skFlag, String skEnv, Path configFile) {
        if (skFlag != null && !skFlag.isBlank()) {
            return new Identity(parse(skFlag, "--sk"), "flag --sk");
        }
        if (skEnv != null && !skEnv.isBlank()) {
            return new Identity(parse(skEnv, "DMSGCURL_SK"), "env DMSGCURL_SK");
        }
        if (configFile != null) {
            return new Identity(parse(readSk(configFile), "-c " + configFile), "config " + configFile);
        }
        KeyPair ephemeral = KeyPair.generate();
        log.warn("NO IDENTITY CONFIGURED: using the ephemeral key {} for this run only. Peers cannot reach it "
                + "after a restart; set --sk, DMSGCURL_SK or -c <skywire-config.json>.", ephemeral.publicKey());
        return new Identity(ephemeral, "ephemeral");
    }

    private static KeyPair parse(String hex, String where) {
        try {
            return KeyPair.fromSecretHex(hex.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static String readSk(Path file) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("-c " + file + ": cannot read: " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("-c " + file + ": not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode sk = root == null ? null : root.get("sk");
        if (sk == null || !sk.isString() || sk.asString().isBlank()) {
            throw new IllegalArgumentException("-c " + file + ": has no sk field");
        }
        return sk.asString();
    }
}
