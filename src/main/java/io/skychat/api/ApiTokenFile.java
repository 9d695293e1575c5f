package io.skychat.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The bearer token of the control surface: 256 random bits as 64 hex characters in a file only its owner
 * can read ({@code <work-dir>/api.token} unless configured). Clients on the same machine read the same file.
 */
public final class ApiTokenFile {

    public static final String DEFAULT_NAME = "api.token";
    static final int TOKEN_BYTES = 32;
    // A hand-made token may replace the generated one, but not a guessable one.
    static final int MIN_LENGTH = 32;
    static final int MAX_LENGTH = 512;

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private ApiTokenFile() {
    }

    /** The token in {@code file}, creating the file (and its directories) with a fresh token when it is missing. */
    public static String readOrCreate(Path file) {
        if (!Files.exists(file)) {
            try {
                create(file);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: read theirs
            } catch (IOException e) {
                throw new AccessSetupException("api token file " + file + " cannot be created: " + reason(e), e);
            }
        }
        return read(file);
    }

    /** The token in an existing file; refuses a file that others could read, since they could then act as us. */
    public static String read(Path file) {
        checkPermissions(file);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new AccessSetupException("api token file " + file + " cannot be read: " + reason(e), e);
        }
        if (content.length() < MIN_LENGTH || content.length() > MAX_LENGTH
                || !content.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new AccessSetupException("api token file " + file + " does not hold a token (expected "
                    + TOKEN_BYTES * 2 + " hex characters; delete it to have a new one made)");
        }
        return content;
    }

    static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Written to a private temporary file first and moved into place, so no reader sees it half-written. */
    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(existingAncestor(dir)).supportsFileAttributeView("posix");
        if (posix) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else {
            Files.createDirectories(dir);
        }
        Path tmp = posix
                ? Files.createTempFile(dir, ".api-token", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, ".api-token", ".tmp");
        try {
            Files.writeString(tmp, newToken() + "\n", StandardCharsets.UTF_8);
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void checkPermissions(Path file) {
        if (!Files.exists(file)) {
            throw new AccessSetupException("api token file " + file + " does not exist");
        }
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: its ACLs are the operator's business
        } catch (IOException e) {
            throw new AccessSetupException("api token file " + file + " cannot be read: " + reason(e), e);
        }
        if (mode.stream().anyMatch(NOT_OWNER::contains)) {
            throw new AccessSetupException("api token file " + file + " is accessible to group or others (mode "
                    + PosixFilePermissions.toString(mode) + "); run: chmod 600 " + file);
        }
        if (!Files.isReadable(file)) {
            throw new AccessSetupException("api token file " + file + " cannot be read (mode "
                    + PosixFilePermissions.toString(mode) + ")");
        }
    }

    private static Path existingAncestor(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? dir.getRoot() : p;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
