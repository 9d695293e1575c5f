package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;

/**
 * A signed roster or admin change (upstream {@code RosterMutation} / {@code AdminMutation}), published at
 * {@code roster/<seq>} or {@code admin/<seq>} on the issuing admin's feed. Roster ops: 1 add, 2 remove;
 * admin ops: 1 promote, 2 demote. {@code signature} is null until signed.
 */
public record Mutation(Kind kind, GroupId groupId, int op, PeerKey peer, long parentSeq, long issuedAtNano,
        PeerKey issuer, byte[] signature) {

    public enum Kind { ROSTER, ADMIN }

    public static final int ADD = 1;
    public static final int REMOVE = 2;
    public static final int PROMOTE = 1;
    public static final int DEMOTE = 2;

    /** An unsigned mutation; {@link #sign(KeyPair)} fills in issuer and signature. */
    public static Mutation unsigned(Kind kind, GroupId groupId, int op, PeerKey peer, long parentSeq, long issuedAtNano) {
        return new Mutation(kind, groupId, op, peer, parentSeq, issuedAtNano, null, null);
    }

    public byte[] canonicalBytes() {
        throw new UnsupportedOperationException();
    }

    public Mutation sign(KeyPair issuer) {
        throw new UnsupportedOperationException();
    }

    /** BAD_SIGNATURE when unsigned or the signature is not the issuer's over the canonical bytes. */
    public void verify() {
        throw new UnsupportedOperationException();
    }

    /** {@code roster/<seq>} or {@code admin/<seq>}. */
    public String path(long seq) {
        throw new UnsupportedOperationException();
    }

    public byte[] toJson() {
        throw new UnsupportedOperationException();
    }

    public static Mutation fromJson(Kind kind, byte[] json) {
        throw new UnsupportedOperationException();
    }
}
