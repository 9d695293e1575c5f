package io.skychat.group;

/** {@code skychat:invite:<base64url(JSON), no padding>} as upstream {@code group/invite.go} writes and reads it. */
public final class InviteLinks {

    public static final String PREFIX = "skychat:invite:";

    private InviteLinks() {
    }

    public static String encode(Invite invite) {
        throw new UnsupportedOperationException();
    }

    /** Refuses with {@link GroupException.Reason#BAD_INVITE} and a message naming the fault. */
    public static Invite decode(String link) {
        throw new UnsupportedOperationException();
    }
}
