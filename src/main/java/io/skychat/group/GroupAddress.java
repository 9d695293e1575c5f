package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.crypto.Secp256k1;
import io.skychat.group.GroupException.Reason;
import java.util.Locale;
import java.util.Optional;

/**
 * The short form {@code skychat://<pk>} (a person) or {@code skychat://<pk>/<group-id>} (a group or channel hosted by
 * that key), as upstream {@code pkg/skychat/address}. Resolved by asking the host (the describe probe).
 */
public record GroupAddress(PeerKey owner, Optional<GroupId> groupId) {

    public static final String SCHEME = "skychat://";

    public GroupAddress {
        if (owner == null || groupId == null) {
            throw new GroupException(Reason.BAD_ADDRESS, "address needs a public key");
        }
    }

    public static GroupAddress of(PeerKey owner, GroupId id) {
        return new GroupAddress(owner, Optional.of(id));
    }

    /**
     * Accepts {@code skychat://<pk>[/<id>]} and the bare {@code <pk>[/<id>]}, surrounding blanks, a trailing slash
     * and any case of the scheme. BAD_ADDRESS names the fault; an invite link is told apart so the caller can route it.
     */
    public static GroupAddress parse(String input) {
        String s = input == null ? "" : input.strip();
        if (s.isEmpty()) {
            throw bad("address is empty");
        }
        if (InviteLinks.looksLikeInvite(s)) {
            throw bad("this is an invite link, not an address");
        }
        if (s.length() >= SCHEME.length() && s.substring(0, SCHEME.length()).equalsIgnoreCase(SCHEME)) {
            s = s.substring(SCHEME.length());
        }
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
            throw bad("address is empty");
        }
        int slash = s.indexOf('/');
        String pkPart = (slash < 0 ? s : s.substring(0, slash)).toLowerCase(Locale.ROOT);
        String idPart = slash < 0 ? "" : s.substring(slash + 1);
        if (idPart.contains("/")) {
            throw bad("address has an unexpected extra path segment: " + input.strip());
        }
        if (pkPart.length() != PeerKey.LENGTH * 2) {
            throw bad("address public key must be 66 hex characters, got " + pkPart.length());
        }
        PeerKey pk;
        try {
            pk = PeerKey.parse(pkPart);
        } catch (IllegalArgumentException e) {
            throw bad("address has an invalid public key: " + e.getMessage());
        }
        if (!Secp256k1.isValidPublicKey(pk)) {
            throw bad("address public key is not a point on secp256k1");
        }
        if (idPart.isEmpty()) {
            return new GroupAddress(pk, Optional.empty());
        }
        try {
            return new GroupAddress(pk, Optional.of(GroupId.parse(idPart)));
        } catch (GroupException e) {
            throw bad("address has an invalid group id \"" + idPart + "\"");
        }
    }

    public static boolean looksLikeAddress(String s) {
        return s != null && s.strip().toLowerCase(Locale.ROOT).startsWith(SCHEME);
    }

    public boolean isGroup() {
        return groupId.isPresent();
    }

    private static GroupException bad(String why) {
        return new GroupException(Reason.BAD_ADDRESS, why);
    }

    @Override
    public String toString() {
        return SCHEME + owner.hex() + groupId.map(id -> "/" + id.value()).orElse("");
    }
}
