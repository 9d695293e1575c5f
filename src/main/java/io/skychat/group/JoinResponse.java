package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupException.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code {"kind":"join_response",…}} (upstream {@code JoinResponseMsg}), fields in Go's order, each but the first
 * three omitted when empty: {@code kind, group_id, status, name, group_kind, aes_key, key_epoch, members, admins,
 * muted, read_only, peer_backfill_disabled, pow_bits, retry_after_sec, reason, port, policy, price_hint}. An
 * admission seeds the joiner's roster and, for a private group, hands over the current key only.
 */
public record JoinResponse(GroupId groupId, JoinStatus status, String name, GroupKind groupKind, byte[] aesKey,
        long keyEpoch, List<PeerKey> members, List<PeerKey> admins, List<PeerKey> muted, boolean readOnly,
        boolean peerBackfillDisabled, int powBits, int retryAfterSec, String reason, int port, String policy,
        String priceHint) {

    public static final String KIND = "join_response";
    /** Price hints longer than this are cut on receipt. */
    public static final int MAX_PRICE_HINT = 40;

    public JoinResponse {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(status, "status");
        name = name == null ? "" : name;
        aesKey = aesKey == null ? new byte[0] : aesKey.clone();
        if (aesKey.length != 0 && aesKey.length != GroupKey.LENGTH) {
            throw new GroupException(Reason.BAD_JOIN_MESSAGE, "join response AES key must be 32 bytes, got " + aesKey.length);
        }
        members = members == null ? List.of() : List.copyOf(members);
        admins = admins == null ? List.of() : List.copyOf(admins);
        muted = muted == null ? List.of() : List.copyOf(muted);
        reason = reason == null ? "" : reason;
        policy = policy == null ? "" : policy;
        priceHint = priceHint == null ? "" : JoinRequest.truncateUtf8(priceHint, MAX_PRICE_HINT);
        if (port < 0 || port > 0xffff || powBits < 0 || powBits > 0xff) {
            throw new GroupException(Reason.BAD_JOIN_MESSAGE, "join response port or pow_bits out of range");
        }
    }

    /** Admitted: the roster seed and, for a private group, the current key. */
    public static JoinResponse admitted(GroupId id, String name, GroupKind kind, Optional<GroupKey> key,
            List<PeerKey> members, List<PeerKey> admins) {
        return new JoinResponse(id, JoinStatus.ADMITTED, name, kind, key.map(GroupKey::bytes).orElse(null),
                key.map(GroupKey::epoch).orElse(0L), members, admins, null, false, false, 0, 0, "", 0, "", "");
    }

    /** Pending, denied, banned, unavailable: a status and why. */
    public static JoinResponse refusal(GroupId id, JoinStatus status, String name, String reason) {
        return new JoinResponse(id, status, name, null, null, 0, null, null, null, false, false, 0, 0, reason, 0, "", "");
    }

    public static JoinResponse challenge(GroupId id, String name, int bits, String reason) {
        return new JoinResponse(id, JoinStatus.CHALLENGE, name, null, null, 0, null, null, null, false, false,
                JoinPow.clamp(bits), 0, reason, 0, "", "");
    }

    public static JoinResponse throttled(GroupId id, String name, int retryAfterSec) {
        return new JoinResponse(id, JoinStatus.THROTTLED, name, null, null, 0, null, null, null, false, false, 0,
                retryAfterSec, "too many join requests; try again later", 0, "", "");
    }

    /** The answer to a describe probe: what the group is, granting nothing. */
    public static JoinResponse info(GroupId id, String name, GroupKind kind, int port) {
        return info(id, name, kind, port, 0);
    }

    /** A describe answer that also names the join price, so the joiner pays before it dials. */
    public static JoinResponse info(GroupId id, String name, GroupKind kind, int port, int powBits) {
        return new JoinResponse(id, JoinStatus.INFO, name, kind, null, 0, null, null, null, false, false,
                JoinPow.clamp(powBits), 0, "", port, kind.joinPolicy(), "");
    }

    /**
     * The invite a describe answer from {@code host} amounts to (upstream {@code GroupDescriptor.Invite}): no admins
     * (one host's claim), no key; a missing kind reads as public, the side that expects no key. BAD_JOIN_MESSAGE
     * when this is not an info answer or names no port.
     */
    public Invite toInvite(PeerKey host) {
        if (status != JoinStatus.INFO) {
            throw new GroupException(Reason.BAD_JOIN_MESSAGE, "describe answer for " + groupId + " is " + status.wire()
                    + (reason.isEmpty() ? "" : ": " + reason));
        }
        if (port == 0) {
            throw new GroupException(Reason.BAD_JOIN_MESSAGE, "describe answer for " + groupId + " names no port");
        }
        return new Invite(groupId, name, host, port, groupKind == null ? GroupKind.PUBLIC : groupKind, List.of(),
                JoinPow.clamp(powBits));
    }

    /** The key handed over on admission, numbered by {@code key_epoch}. */
    public Optional<GroupKey> key() {
        return aesKey.length == GroupKey.LENGTH ? Optional.of(new GroupKey(aesKey, keyEpoch)) : Optional.empty();
    }

    public byte[] toJson() {
        return new Json.Out().str("kind", KIND).str("group_id", groupId.value()).str("status", status.wire())
                .strIfNotEmpty("name", name).strIfNotEmpty("group_kind", groupKind == null ? "" : groupKind.wire())
                .bytesIfNotEmpty("aes_key", aesKey).u64IfNotZero("key_epoch", keyEpoch).pksIfNotEmpty("members", members)
                .pksIfNotEmpty("admins", admins).pksIfNotEmpty("muted", muted).trueOnly("read_only", readOnly)
                .trueOnly("peer_backfill_disabled", peerBackfillDisabled).u64IfNotZero("pow_bits", powBits)
                .i64IfNotZero("retry_after_sec", retryAfterSec).strIfNotEmpty("reason", reason)
                .u64IfNotZero("port", port).strIfNotEmpty("policy", policy).strIfNotEmpty("price_hint", priceHint)
                .bytes();
    }

    /** BAD_JOIN_MESSAGE for another frame kind, an unknown status or malformed fields. */
    public static JoinResponse fromJson(byte[] json) {
        Json.In in = Json.In.parse(json, Reason.BAD_JOIN_MESSAGE, "join response");
        String kind = in.str("kind");
        if (!kind.equals(KIND)) {
            throw in.fail("unexpected kind " + GroupKind.quoted(kind));
        }
        JoinStatus status = JoinStatus.parse(in.str("status"));
        String gk = in.str("group_kind");
        GroupKind groupKind;
        try {
            groupKind = gk.isEmpty() ? null : GroupKind.parse(gk);
        } catch (IllegalArgumentException e) {
            throw in.fail("unknown group_kind " + GroupKind.quoted(gk));
        }
        return new JoinResponse(JoinRequest.groupIdOf(in), status, in.str("name"), groupKind, in.bytes("aes_key"),
                in.unsigned("key_epoch", 64), in.pks("members"), in.pks("admins"), in.pks("muted"), in.bool("read_only"),
                in.bool("peer_backfill_disabled"), (int) in.unsigned("pow_bits", 8), (int) in.signed64("retry_after_sec"),
                in.str("reason"), (int) in.unsigned("port", 16), in.str("policy"), in.str("price_hint"));
    }

    @Override
    public byte[] aesKey() {
        return aesKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JoinResponse r && r.groupId.equals(groupId) && r.status == status && r.name.equals(name)
                && r.groupKind == groupKind && Arrays.equals(r.aesKey, aesKey) && r.keyEpoch == keyEpoch
                && r.members.equals(members) && r.admins.equals(admins) && r.muted.equals(muted)
                && r.readOnly == readOnly && r.peerBackfillDisabled == peerBackfillDisabled && r.powBits == powBits
                && r.retryAfterSec == retryAfterSec && r.reason.equals(reason) && r.port == port
                && r.policy.equals(policy) && r.priceHint.equals(priceHint);
    }

    @Override
    public int hashCode() {
        return groupId.hashCode() * 31 + status.hashCode();
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "JoinResponse[" + groupId + " " + status.wire() + (reason.isEmpty() ? "" : ": " + reason) + "]";
    }
}
