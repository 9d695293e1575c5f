package io.skychat.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.skychat.core.PeerKey;
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

    /**
     * This node's key. {@code keyPair} is null under a visor that holds the secret: chat still runs (the visor
     * signs for its key), but nothing here can sign or handshake, so TCP-direct is off.
     */
    record Identity(PeerKey publicKey, KeyPair keyPair, String source) {

        Identity(KeyPair keyPair, String source) {
            this(keyPair.publicKey(), keyPair, source);
        }

        boolean hasSecret() {
            return keyPair != null;
        }

        /** The key pair {@code feature} signs with; under a visor that keeps its secret, a clear refusal. */
        KeyPair requireSecret(String feature) {
            if (keyPair == null) {
                throw new IllegalArgumentException(feature + " needs this node's secret key, and under a visor the visor "
                        + "holds it: pass the visor's key with --sk, or drop those flags");
            }
            return keyPair;
        }

        void destroy() {
            if (keyPair != null) {
                keyPair.destroy();
            }
        }
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

    /**
     * Under a visor the chat key is the visor's. A secret given as well ({@code --sk}, {@code DMSGCURL_SK},
     * {@code -c}) must be the visor's own, and then TCP-direct can use it; otherwise there is no secret.
     */
    static Identity resolveForVisor(PeerKey visorPk, String visorSource, String skFlag, String skEnv, Path configFile) {
        Identity secret = skFlag != null && !skFlag.isBlank() || skEnv != null && !skEnv.isBlank()
                || configFile != null && hasSk(configFile) ? resolve(skFlag, skEnv, configFile) : null;
        if (secret == null) {
            return new Identity(visorPk, null, visorSource + "; the visor holds the secret key");
        }
        if (!secret.publicKey().equals(visorPk)) {
            secret.destroy();
            throw new IllegalArgumentException("the secret key from " + secret.source() + " is " + secret.publicKey()
                    + "'s, but the visor is " + visorPk + ": under a visor the node speaks with the visor's key");
        }
        return new Identity(visorPk, secret.keyPair(), visorSource + ", secret from " + secret.source());
    }

    /** The {@code pk} field of a skywire-config.json: the visor's key, for a node attached beside it. */
    static PeerKey readPk(Path configFile) {
        JsonNode pk = readConfig(configFile).get("pk");
        if (pk == null || !pk.isString()) {
            throw new IllegalArgumentException("-c " + configFile + ": has no pk field");
        }
        try {
            return PeerKey.parse(pk.asString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-c " + configFile + ": pk: " + e.getMessage(), e);
        }
    }

    private static boolean hasSk(Path configFile) {
        JsonNode sk = readConfig(configFile).get("sk");
        return sk != null && sk.isString() && !sk.asString().isBlank();
    }

    private static KeyPair parse(String hex, String where) {
        try {
            return KeyPair.fromSecretHex(hex.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static String readSk(Path file) {
        JsonNode sk = readConfig(file).get("sk");
        if (sk == null || !sk.isString() || sk.asString().isBlank()) {
            throw new IllegalArgumentException("-c " + file + ": has no sk field");
        }
        return sk.asString();
    }

    private static JsonNode readConfig(Path file) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("-c " + file + ": cannot read: " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("-c " + file + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("-c " + file + ": not a JSON object");
        }
        return root;
    }
}
