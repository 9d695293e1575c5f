package io.skychat.group;

import io.skychat.core.SkychatException;
import java.util.Locale;

/**
 * A group artefact (invite, leaf, mutation, join message) that cannot be trusted or applied. The reason
 * names the rule that failed; the message says in one line what was wrong. Whoever reads it from the
 * network drops it and goes on.
 */
public final class GroupException extends SkychatException {

    public enum Reason {
        BAD_INVITE, BAD_ADDRESS, BAD_GROUP_ID, BAD_SIGNATURE, NOT_ADMIN, REPLAYED, STALE, INSUFFICIENT_POW,
        DECRYPT_FAILED, BAD_LEAF, BAD_MUTATION, BAD_JOIN_MESSAGE, KIND_IMMUTABLE, FOUNDER_IMMUTABLE,
        NOT_ALLOWED_TO_POST, WRONG_GROUP;

        /** Stable short name, e.g. {@code group-not-admin}. */
        public String type() {
            return "group-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public GroupException(Reason reason, String message) {
        super(reason.type(), message, null);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
