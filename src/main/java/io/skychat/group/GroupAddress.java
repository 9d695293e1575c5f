package io.skychat.group;

import io.skychat.core.PeerKey;
import java.util.Optional;

/** The short form {@code skychat://<pk>} or {@code skychat://<pk>/<group-id>}, resolved by the describe probe. */
public record GroupAddress(PeerKey owner, Optional<GroupId> groupId) {

    public static final String SCHEME = "skychat://";

    public GroupAddress {
        if (owner == null || groupId == null) {
            throw new GroupException(GroupException.Reason.BAD_ADDRESS, "address needs a public key");
        }
    }

    public static GroupAddress parse(String s) {
        throw new UnsupportedOperationException();
    }

    public static boolean looksLikeAddress(String s) {
        return s != null && s.strip().startsWith(SCHEME);
    }

    @Override
    public String toString() {
        return SCHEME + owner.hex() + groupId.map(id -> "/" + id.value()).orElse("");
    }
}
