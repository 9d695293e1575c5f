package io.skychat.group;

import io.skychat.core.PeerKey;
import java.util.List;

/** {@code {"kind":"join_response",…}} (upstream {@code JoinResponseMsg}). */
public record JoinResponse(GroupId groupId, JoinStatus status, String name, GroupKind groupKind, byte[] aesKey,
        long keyEpoch, List<PeerKey> members, List<PeerKey> admins, List<PeerKey> muted, List<PeerKey> readOnly,
        boolean peerBackfillDisabled, int powBits, int retryAfterSec, String reason, int port, String policy,
        int priceHint) {

    public static final String KIND = "join_response";

    public byte[] toJson() {
        throw new UnsupportedOperationException();
    }

    public static JoinResponse fromJson(byte[] json) {
        throw new UnsupportedOperationException();
    }
}
