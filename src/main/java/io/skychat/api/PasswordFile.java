package io.skychat.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** {@code --password-file}: one bcrypt hash (as {@code htpasswd -nbB} or upstream's docs make it), nothing else. */
public final class PasswordFile {

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");

    private PasswordFile() {
    }

    public static String read(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new AccessSetupException("password file " + file + " cannot be read: " + e.getMessage(), e);
        }
        // htpasswd writes "user:hash"; the user name is not checked, so take the hash.
        int colon = content.indexOf(':');
        String hash = colon >= 0 && !content.startsWith("$") ? content.substring(colon + 1) : content;
        if (!BCRYPT.matcher(hash).matches()) {
            throw new AccessSetupException("password file " + file
                    + " does not hold a bcrypt hash ($2a$/$2b$/$2y$…, 60 characters)");
        }
        return hash;
    }
}
