package io.skychat.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Puts a token given from outside (a mounted Kubernetes Secret, whose files the kubelet makes readable to
 * the pod's group) into the node's token file with owner-only permissions, which is the only form the node
 * accepts: {@code java -cp skychat.jar io.skychat.api.ApiTokenInstall <from> <to>}. Run before the node
 * starts (an init container); a token already there with the same content is left alone, another one is
 * replaced atomically. No Spring, no network: it starts in a fraction of a second.
 */
public final class ApiTokenInstall {

    /** The JDK's own logger: this runs with nothing but its own classes on the class path. */
    private static final System.Logger log = System.getLogger(ApiTokenInstall.class.getName());

    private ApiTokenInstall() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ApiTokenInstall <token file to read> <api.token to write>");
            System.exit(2);
        }
        try {
            boolean changed = install(Path.of(args[0]), Path.of(args[1]));
            log.log(System.Logger.Level.INFO, (changed ? "installed the api token in " : "api token unchanged in ") + args[1]);
        } catch (AccessSetupException e) {
            System.err.println("ApiTokenInstall: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Copies the token into {@code to} (mode 0600); false when {@code to} already held it. */
    static boolean install(Path from, Path to) {
        String token;
        try {
            token = Files.readString(from, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new AccessSetupException("cannot read the token in " + from + ": " + e.getMessage(), e);
        }
        if (token.length() < ApiTokenFile.MIN_LENGTH || token.length() > ApiTokenFile.MAX_LENGTH
                || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new AccessSetupException(from + " does not hold a token (" + ApiTokenFile.MIN_LENGTH + " to "
                    + ApiTokenFile.MAX_LENGTH + " printable characters, no spaces)");
        }
        try {
            if (Files.isRegularFile(to) && Files.readString(to, StandardCharsets.UTF_8).strip().equals(token)) {
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
                return false;
            }
            Path dir = to.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".api-token", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        } catch (IOException e) {
            throw new AccessSetupException("cannot write the token to " + to + ": " + e.getMessage(), e);
        }
    }
}
