package io.skychat.group;

import java.util.Locale;

/**
 * The three group types (upstream {@code group.Kind}). The kind is fixed at creation. {@link #mode()} is
 * what upstream persists and puts in invites; a public group and a channel share mode "public".
 */
public enum GroupKind {
    PUBLIC("public", "public", "open", false),
    PRIVATE("private", "private", "approval", false),
    CHANNEL("channel", "public", "open", true);

    public static final String MODE_PUBLIC = "public";
    public static final String MODE_PRIVATE = "private";

    private final String wire;
    private final String mode;
    private final String joinPolicy;
    private final boolean adminsOnlyPost;

    GroupKind(String wire, String mode, String joinPolicy, boolean adminsOnlyPost) {
        this.wire = wire;
        this.mode = mode;
        this.joinPolicy = joinPolicy;
        this.adminsOnlyPost = adminsOnlyPost;
    }

    public String wire() {
        return wire;
    }

    /** "public" or "private": whether bodies are sealed. */
    public String mode() {
        return mode;
    }

    /** "open" or "approval". */
    public String joinPolicy() {
        return joinPolicy;
    }

    /** "all" or "admins", as upstream's post policy. */
    public String postPolicy() {
        return adminsOnlyPost ? "admins" : "all";
    }

    public boolean adminsOnlyPost() {
        return adminsOnlyPost;
    }

    public boolean encrypted() {
        return this == PRIVATE;
    }

    /** Parses a kind name; the message says which names are allowed. */
    public static GroupKind parse(String s) {
        if (s != null) {
            String k = s.strip().toLowerCase(Locale.ROOT);
            for (GroupKind kind : values()) {
                if (kind.wire.equals(k)) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("group kind must be public, private or channel, got " + quoted(s));
    }

    /** What a record or invite from before channels existed means: the kind its mode implies. */
    public static GroupKind forMode(String mode) {
        if (MODE_PUBLIC.equals(mode)) {
            return PUBLIC;
        }
        if (MODE_PRIVATE.equals(mode)) {
            return PRIVATE;
        }
        throw new IllegalArgumentException("group mode must be public or private, got " + quoted(mode));
    }

    static String quoted(String s) {
        return s == null ? "nothing" : "\"" + s + "\"";
    }
}
