package io.skychat.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

import io.skychat.core.PeerKey;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * The local address book, {@code name → pk}, in upstream's file
 * {@code $XDG_CONFIG_HOME/skywire/skychat-aliases.json} (else {@code ~/.config/...}), a flat JSON object.
 * Every change rewrites the file through a temporary file and a rename, so a reader never sees half of it.
 */
final class Aliases {

    private final Path file;
    private final Map<String, String> entries;

    private Aliases(Path file, Map<String, String> entries) {
        this.file = file;
        this.entries = entries;
    }

    static Path fileFor(CliEnv env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path dir;
        if (xdg != null) {
            dir = Path.of(xdg);
        } else {
            String home = env.get("HOME");
            dir = Path.of(home != null ? home : System.getProperty("user.home"), ".config");
        }
        return dir.resolve("skywire").resolve("skychat-aliases.json");
    }

    static Aliases load(CliEnv env) {
        Path file = fileFor(env);
        Map<String, String> entries = new TreeMap<>();
        try {
            String text = Files.readString(file);
            if (!text.isBlank()) {
                entries.putAll(parse(text));
            }
        } catch (NoSuchFileException e) {
            // first use: an empty book
        } catch (IOException e) {
            throw CliException.failed("cannot read aliases " + file + ": " + e.getMessage());
        } catch (JacksonException e) {
            throw CliException.failed("aliases file " + file + " is not a JSON object of name → pk: "
                    + e.getOriginalMessage());
        }
        return new Aliases(file, entries);
    }

    /** A flat object of strings is read without the mapper; anything else gets the mapper's verdict. */
    private static Map<String, String> parse(String text) {
        try {
            JsonNode node = JsonText.tree(text, "aliases");
            if (node.isObject()) {
                Map<String, String> m = new TreeMap<>();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    if (!e.getValue().isString()) {
                        m = null;
                        break;
                    }
                    m.put(e.getKey(), e.getValue().asString());
                }
                if (m != null) {
                    return m;
                }
            }
        } catch (CliException e) {
            // not JSON at all: the mapper's own message says where
        }
        return Json.MAPPER.readValue(text, new TypeReference<Map<String, String>>() { });
    }

    Path file() {
        return file;
    }

    Map<String, String> entries() {
        return java.util.Collections.unmodifiableMap(entries);
    }

    static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw CliException.usage("alias name is empty");
        }
        if (Character.isDigit(name.charAt(0))) {
            throw CliException.usage("alias name \"" + name + "\" must not start with a digit (it would look like a key)");
        }
        if (!name.equals(name.strip()) || name.chars().anyMatch(Character::isWhitespace)) {
            throw CliException.usage("alias name \"" + name + "\" must not contain spaces");
        }
    }

    /** Returns the previous key of {@code name}, or null. */
    String put(String name, PeerKey key) {
        checkName(name);
        String previous = entries.put(name, key.hex());
        save();
        return previous;
    }

    boolean remove(String name) {
        if (entries.remove(name) == null) {
            return false;
        }
        save();
        return true;
    }

    /** A full key resolves to itself (never through an alias); anything else must be a known alias. */
    PeerKey resolve(String input, String flag) {
        if (input == null || input.isBlank()) {
            throw CliException.usage(flag + " is empty");
        }
        String s = input.strip();
        if (s.length() == PeerKey.LENGTH * 2 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            try {
                return PeerKey.parse(s);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(flag + " " + s + ": " + e.getMessage());
            }
        }
        String hex = entries.get(s);
        if (hex == null) {
            throw CliException.usage(flag + " \"" + s + "\" is neither a public key nor a known alias"
                    + " (see: skychat alias ls)");
        }
        try {
            return PeerKey.parse(hex);
        } catch (IllegalArgumentException e) {
            throw CliException.failed("alias \"" + s + "\" maps to an invalid key " + hex + ": " + e.getMessage());
        }
    }

    /** The alias of a key, for display, or null. */
    String nameOf(String hex) {
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (e.getValue().equalsIgnoreCase(hex)) {
                return e.getKey();
            }
        }
        return null;
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".skychat-aliases", ".tmp");
            try {
                Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(entries) + "\n");
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw CliException.failed("cannot write aliases " + file + ": " + e.getMessage());
        }
    }
}
