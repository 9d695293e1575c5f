package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.SignatureException;
import io.skychat.crypto.Signatures;
import io.skychat.group.GroupException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A signed roster or admin change (upstream {@code RosterMutation} / {@code AdminMutation}, {@code gossip.go}),
 * published at {@code roster/<seq>} or {@code admin/<seq>} on the issuing admin's feed. Roster ops: 1 add, 2 remove;
 * admin ops: 1 promote, 2 demote. {@code parentSeq} is signed but carries no meaning (upstream always writes 0).
 * The issuer signs {@code SHA-256(canonicalBytes())} with SignPayload. {@code issuer} and {@code signature} are null
 * until {@link #sign(KeyPair)}.
 */
public record Mutation(Kind kind, GroupId groupId, int op, PeerKey peer, long parentSeq, long issuedAtNano,
        PeerKey issuer, byte[] signature) {

    /** The family, named by the path prefix it is published under. */
    public enum Kind {
        ROSTER(GroupPaths.ROSTER, "r"), ADMIN(GroupPaths.ADMIN, "a");

        private final String prefix;
        private final String family;

        Kind(String prefix, String family) {
            this.prefix = prefix;
            this.family = family;
        }

        public String pathPrefix() {
            return prefix;
        }

        /** The replay-guard family letter. */
        public String family() {
            return family;
        }
    }

    public static final int ADD = 1;
    public static final int REMOVE = 2;
    public static final int PROMOTE = 1;
    public static final int DEMOTE = 2;
    static final byte CANONICAL_VERSION = 1;
    static final int CANONICAL_LENGTH = 1 + 16 + 1 + PeerKey.LENGTH + 8 + 8 + PeerKey.LENGTH;

    public Mutation {
        Objects.requireNonNull(kind, "kind");
        if (signature != null && signature.length != Signatures.LENGTH) {
            throw new GroupException(Reason.BAD_MUTATION, "mutation signature must be " + Signatures.LENGTH + " bytes");
        }
        signature = signature == null ? null : signature.clone();
    }

    /** An unsigned mutation; {@link #sign(KeyPair)} fills in issuer and signature. */
    public static Mutation unsigned(Kind kind, GroupId groupId, int op, PeerKey peer, long parentSeq, long issuedAtNano) {
        return new Mutation(kind, groupId, op, peer, parentSeq, issuedAtNano, null, null);
    }

    public static Mutation add(KeyPair issuer, GroupId id, PeerKey peer, long issuedAtNano) {
        return unsigned(Kind.ROSTER, id, ADD, peer, 0, issuedAtNano).sign(issuer);
    }

    public static Mutation remove(KeyPair issuer, GroupId id, PeerKey peer, long issuedAtNano) {
        return unsigned(Kind.ROSTER, id, REMOVE, peer, 0, issuedAtNano).sign(issuer);
    }

    public static Mutation promote(KeyPair issuer, GroupId id, PeerKey peer, long issuedAtNano) {
        return unsigned(Kind.ADMIN, id, PROMOTE, peer, 0, issuedAtNano).sign(issuer);
    }

    public static Mutation demote(KeyPair issuer, GroupId id, PeerKey peer, long issuedAtNano) {
        return unsigned(Kind.ADMIN, id, DEMOTE, peer, 0, issuedAtNano).sign(issuer);
    }

    /**
     * {@code 0x01 ‖ uuid(16) ‖ op(1) ‖ peer(33) ‖ BE64 parent_seq ‖ BE64 issued_at unixnano ‖ issuer(33)}, the same
     * layout for both families (upstream {@code canonicalBytesRoster} / {@code canonicalBytesAdmin}).
     */
    public byte[] canonicalBytes() {
        requireFields();
        return ByteBuffer.allocate(CANONICAL_LENGTH).put(CANONICAL_VERSION).put(groupId.bytes()).put((byte) op)
                .put(peer.toBytes()).putLong(parentSeq).putLong(issuedAtNano)
                .put(issuer == null ? new byte[PeerKey.LENGTH] : issuer.toBytes()).array();
    }

    public byte[] digest() {
        return GroupLeaf.sha256(canonicalBytes());
    }

    public Mutation sign(KeyPair by) {
        Mutation m = new Mutation(kind, groupId, op, peer, parentSeq, issuedAtNano, by.publicKey(), null);
        m.requireFields();
        return new Mutation(kind, groupId, op, peer, parentSeq, issuedAtNano, by.publicKey(), Signatures.sign(m.digest(), by));
    }

    /** BAD_MUTATION when a field is missing or the op unknown; BAD_SIGNATURE when not the issuer's signature. */
    public void verify() {
        requireFields();
        if (issuer == null) {
            throw new GroupException(Reason.BAD_MUTATION, what() + " has no issuer_pk");
        }
        if (signature == null) {
            throw new GroupException(Reason.BAD_SIGNATURE, what() + " is unsigned");
        }
        try {
            Signatures.verify(issuer, signature, digest());
        } catch (SignatureException e) {
            throw new GroupException(Reason.BAD_SIGNATURE, what() + " is not signed by its issuer " + issuer + ": "
                    + e.getMessage());
        }
    }

    private void requireFields() {
        if (groupId == null || peer == null || issuedAtNano == 0) {
            throw new GroupException(Reason.BAD_MUTATION, kind.prefix + " mutation is missing group_id, peer_pk or issued_at");
        }
        if (op != 1 && op != 2) {
            throw new GroupException(Reason.BAD_MUTATION, kind.prefix + " mutation has unknown op " + op);
        }
    }

    public boolean isAdd() {
        return kind == Kind.ROSTER && op == ADD;
    }

    public boolean isRemove() {
        return kind == Kind.ROSTER && op == REMOVE;
    }

    public boolean isPromote() {
        return kind == Kind.ADMIN && op == PROMOTE;
    }

    public boolean isDemote() {
        return kind == Kind.ADMIN && op == DEMOTE;
    }

    /** The replay-guard key {@code r:<peer hex>} or {@code a:<peer hex>}. */
    public String watermarkKey() {
        return kind.family + ":" + peer.hex();
    }

    /** {@code roster/<seq>} or {@code admin/<seq>}. */
    public String path(long seq) {
        return kind.prefix + "/" + Long.toUnsignedString(seq);
    }

    String what() {
        String name = switch (kind) {
            case ROSTER -> op == ADD ? "add" : op == REMOVE ? "remove" : "roster op " + op;
            case ADMIN -> op == PROMOTE ? "promote" : op == DEMOTE ? "demote" : "admin op " + op;
        };
        return name + " of " + peer;
    }

    /** {@code {"group_id","op","peer_pk","parent_seq","issued_at","issuer_pk","signature"}}. */
    public byte[] toJson() {
        return new Json.Out().str("group_id", groupId.value()).u64("op", op).pk("peer_pk", peer).u64("parent_seq", parentSeq)
                .time("issued_at", issuedAtNano).pk("issuer_pk", issuer).sig("signature", signature).bytes();
    }

    /** Decodes only; {@link #verify()} or {@link Governance#apply(Mutation)} before trusting it. BAD_MUTATION when malformed. */
    public static Mutation fromJson(Kind kind, byte[] json) {
        Json.In in = Json.In.parse(json, Reason.BAD_MUTATION, kind.prefix + " mutation");
        GroupId id;
        try {
            id = GroupId.parse(in.str("group_id"));
        } catch (GroupException e) {
            throw in.fail(e.getMessage());
        }
        return new Mutation(kind, id, (int) in.unsigned("op", 8), in.pk("peer_pk"), in.unsigned("parent_seq", 64),
                in.time("issued_at"), in.pk("issuer_pk"), in.sig("signature"));
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mutation m && m.kind == kind && Objects.equals(m.groupId, groupId) && m.op == op
                && Objects.equals(m.peer, peer) && m.parentSeq == parentSeq && m.issuedAtNano == issuedAtNano
                && Objects.equals(m.issuer, issuer) && Arrays.equals(m.signature, signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, groupId, op, peer, issuedAtNano);
    }

    @Override
    public String toString() {
        return "Mutation[" + what() + " by " + issuer + " at " + Json.time(issuedAtNano) + "]";
    }
}
