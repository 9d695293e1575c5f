package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupException.Reason;
import java.util.Base64;
import java.util.List;

/**
 * {@code skychat:invite:<base64url without padding of JSON>} as upstream {@code group/invite.go} writes and reads it.
 * JSON fields in Go's order: {@code id, name, owner_pk, port, mode, kind, admins (if any), pow_bits (if not 0),
 * aes_key (legacy, never written)}. Unsigned: whoever holds the link may ask to join; the group decides.
 */
public final class InviteLinks {

    public static final String PREFIX = "skychat:invite:";
    static final int AES_KEY_LENGTH = 32;

    private InviteLinks() {
    }

    public static boolean looksLikeInvite(String s) {
        return s != null && s.strip().toLowerCase(java.util.Locale.ROOT).startsWith(PREFIX);
    }

    public static String encode(Invite invite) {
        Json.Out o = new Json.Out().str("id", invite.id().value()).str("name", invite.name()).pk("owner_pk", invite.owner())
                .u64("port", invite.port()).str("mode", invite.kind().mode()).str("kind", invite.kind().wire())
                .pksIfNotEmpty("admins", invite.admins()).u64IfNotZero("pow_bits", invite.powBits());
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(o.bytes());
    }

    /**
     * Accepts surrounding whitespace. Refuses with BAD_INVITE, naming the fault, as upstream's DecodeInvite: a missing
     * prefix, bad base64url (padding included), bad JSON, an unknown mode or kind, a kind that contradicts the mode,
     * an AES key in a public invite or one that is not 32 bytes, an empty id, a zero owner, port 0. {@code pow_bits}
     * is clamped to {@link JoinPow#MAX_BITS}. A legacy {@code aes_key} in a private invite is accepted and dropped:
     * the key is delivered on admission.
     */
    public static Invite decode(String link) {
        if (link == null || link.isBlank()) {
            throw bad("invite link is empty");
        }
        String s = link.strip();
        if (!s.startsWith(PREFIX)) {
            throw bad("invite link must start with \"" + PREFIX + "\"");
        }
        String payload = s.substring(PREFIX.length());
        if (payload.isEmpty()) {
            throw bad("invite link has nothing after \"" + PREFIX + "\"");
        }
        if (payload.indexOf('=') >= 0) {
            throw bad("invite link is not base64url without padding: it contains '='");
        }
        byte[] body;
        try {
            body = Base64.getUrlDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw bad("invite link is not base64url (truncated or altered?): " + e.getMessage());
        }
        Json.In in = Json.In.parse(body, Reason.BAD_INVITE, "invite link");
        String mode = in.str("mode");
        if (!mode.equals(GroupKind.MODE_PUBLIC) && !mode.equals(GroupKind.MODE_PRIVATE)) {
            throw bad("invite link has an invalid mode " + GroupKind.quoted(mode));
        }
        byte[] aesKey = in.bytes("aes_key");
        if (aesKey.length > 0 && aesKey.length != AES_KEY_LENGTH) {
            throw bad("invite link AES key must be 32 bytes, got " + aesKey.length);
        }
        if (mode.equals(GroupKind.MODE_PUBLIC) && aesKey.length > 0) {
            throw bad("invite link of a public group must not carry an AES key");
        }
        GroupKind kind = kindOf(in.str("kind"), mode);
        String id = in.str("id");
        if (id.isEmpty()) {
            throw bad("invite link has an empty group id");
        }
        GroupId groupId;
        try {
            groupId = GroupId.parse(id);
        } catch (GroupException e) {
            throw bad("invite link: " + e.getMessage());
        }
        PeerKey owner = in.pk("owner_pk");
        if (owner == null) {
            throw bad("invite link has an empty owner_pk");
        }
        long port = in.unsigned("port", 16);
        if (port == 0) {
            throw bad("invite link has port 0");
        }
        List<PeerKey> admins = in.pks("admins");
        int pow = JoinPow.clamp((int) in.unsigned("pow_bits", 8));
        return new Invite(groupId, in.str("name"), owner, (int) port, kind, admins, pow);
    }

    private static GroupKind kindOf(String kind, String mode) {
        if (kind.isEmpty()) {
            return GroupKind.forMode(mode); // a link from before channels existed
        }
        GroupKind k;
        try {
            k = GroupKind.parse(kind);
        } catch (IllegalArgumentException e) {
            throw bad("invite link has an invalid kind " + GroupKind.quoted(kind));
        }
        if (!k.mode().equals(mode)) {
            throw bad("invite link kind \"" + kind + "\" does not match mode \"" + mode + "\"");
        }
        return k;
    }

    private static GroupException bad(String why) {
        return new GroupException(Reason.BAD_INVITE, why);
    }
}
