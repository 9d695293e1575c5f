package io.skychat.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import io.skychat.core.PeerKey;
import io.skychat.transport.visor.AppAddr;
import io.skychat.transport.visor.ProcConfig;
import io.skychat.transport.visor.ProcKey;
import io.skychat.transport.visor.VisorSettings;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether and how this node attaches to a visor: as its child when the visor set {@code PROC_CONFIG}, or
 * beside it with {@code --app-server} and {@code --visor-rpc}; neither (or {@code --standalone}) runs standalone.
 */
final class VisorMode {

    /** The name an app registered beside the visor goes by, as the visor's own skychat would. */
    static final String APP_NAME = "skychat";
    static final String PROC_KEY_FILE = "visor-proc.key";

    private VisorMode() {
    }

    static boolean requested(Environment env) {
        if (env.getProperty("skychat.standalone", Boolean.class, false)) {
            return false;
        }
        String appServer = env.getProperty("skychat.visor.app-server");
        return env.getProperty(ProcConfig.ENV) != null || appServer != null && !appServer.isBlank();
    }

    /** Spring's condition for the visor beans. */
    static final class Requested implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return requested(context.getEnvironment());
        }
    }

    /** Reads the attachment settings; a malformed PROC_CONFIG or a missing flag is one clear message. */
    static VisorSettings settings(SkychatProperties props, Environment env) {
        SkychatProperties.Visor v = props.visor();
        List<String> networks = new ArrayList<>();
        if (v.skynet()) {
            networks.add(AppAddr.SKYNET);
        }
        if (!Boolean.FALSE.equals(props.dmsg().enabled())) { // --dmsg: on under a visor unless switched off
            networks.add(AppAddr.DMSG);
        }
        String procConfig = env.getProperty(ProcConfig.ENV);
        if (procConfig != null) {
            ProcConfig config = ProcConfig.parse(procConfig);
            return new VisorSettings(VisorSettings.parseAddress(config.appServerAddr(), "PROC_CONFIG app_server_addr"),
                    config.visorPk(), config, null, networks, v.callTimeout(), v.dialTimeout(), v.backoffMin(),
                    v.backoffMax());
        }
        if (v.rpc() == null || v.rpc().isBlank()) {
            throw new IllegalArgumentException("--app-server needs --visor-rpc host:3435 too: a node the visor did not "
                    + "start registers there (app-visor.RegisterApp) to get its proc key");
        }
        var appServer = VisorSettings.parseAddress(v.appServer(), "--app-server");
        var visorRpc = VisorSettings.parseAddress(v.rpc(), "--visor-rpc");
        PeerKey visorPk = visorPk(v, props);
        ProcConfig register = new ProcConfig(APP_NAME, v.appServer().strip(), procKey(props.workDir()), List.of(), List.of(),
                props.workDir().toAbsolutePath().toString(), visorPk, io.skychat.core.Transport.CHAT_PORT, "", "", "");
        return new VisorSettings(appServer, visorPk, register, visorRpc, networks, v.callTimeout(), v.dialTimeout(),
                v.backoffMin(), v.backoffMax());
    }

    /**
     * The key this node registers with, kept in the work dir: after a crash (no DeregisterApp) the visor still
     * holds the app name under the old key, and only that key is let in.
     */
    static ProcKey procKey(Path workDir) {
        Path file = workDir.resolve(PROC_KEY_FILE);
        try {
            if (Files.exists(file)) {
                return ProcKey.parse(Files.readString(file, StandardCharsets.US_ASCII).strip());
            }
            ProcKey key = ProcKey.random();
            Files.createDirectories(workDir);
            Files.writeString(file, key.hex() + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the work dir's own permissions protect it
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("proc key file " + file + ": " + e.getMessage()
                    + " (delete it to register with a new key)", e);
        }
    }

    private static PeerKey visorPk(SkychatProperties.Visor v, SkychatProperties props) {
        if (v.pk() != null && !v.pk().isBlank()) {
            try {
                return PeerKey.parse(v.pk());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--visor-pk: " + e.getMessage(), e);
            }
        }
        if (props.config() != null) {
            return IdentityResolver.readPk(props.config());
        }
        throw new IllegalArgumentException("attaching beside a visor needs its key: --visor-pk <pk>, or -c with the "
                + "visor's skywire-config.json");
    }
}
