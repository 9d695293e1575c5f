package io.skychat.group;

import java.util.Locale;

/** The answers to a join request (upstream {@code JoinStatus}), written in lower case on the wire. */
public enum JoinStatus {
    ADMITTED, PENDING, DENIED, BANNED, UNAVAILABLE, CHALLENGE, THROTTLED, INFO;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A ruling about the requester: the first such answer wins the fan-out. */
    public boolean isDecision() {
        return this == ADMITTED || this == PENDING || this == DENIED || this == BANNED;
    }

    public boolean needsWork() {
        return this == CHALLENGE;
    }

    public static JoinStatus parse(String s) {
        for (JoinStatus st : values()) {
            if (st.wire().equals(s)) {
                return st;
            }
        }
        throw new GroupException(GroupException.Reason.BAD_JOIN_MESSAGE, "unknown join status " + GroupKind.quoted(s));
    }
}
