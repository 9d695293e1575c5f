package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.crypto.Aead;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.Secp256k1;
import io.skychat.crypto.SignatureException;
import io.skychat.crypto.Signatures;
import io.skychat.group.GroupException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;

/**
 * A signed key rotation at {@code keys/<seq>} on the issuing admin's feed (upstream {@code keyrotate.go}). One
 * throwaway key pair per rotation; each remaining member gets a wrap sealed under
 * {@code wrapKey = ECDH(recipient, ephemeral)} (SHA-256 of the compressed shared point) as
 * {@code nonce(12) ‖ ChaCha20-Poly1305(wrapKey, group key)}, addressed by the blinded
 * {@code tag = SHA-256("skychat-group-wrap-tag-v1" ‖ wrapKey)[0:16]} instead of the recipient's name. The ephemeral
 * secret is destroyed as soon as the wraps are built. Signed with the issuer's identity key.
 */
public record KeyMutation(GroupId groupId, long epoch, List<Wrap> wraps, long parentSeq, long issuedAtNano,
        PeerKey issuer, byte[] signature) {

    /**
     * The domain byte after the version in the signed bytes. Upstream's value is not known; 4 follows the order the
     * families were introduced in (roster, admin, moderation, keys).
     */
    static final byte DOMAIN_KEY = 4;
    static final byte CANONICAL_VERSION = 1;
    static final int TAG_LENGTH = 16;
    static final byte[] TAG_LABEL = "skychat-group-wrap-tag-v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * One recipient's copy. {@code recipient} is null on blinded wraps (all this side issues; a legacy leaf names
     * it); {@code ephPk} null on a legacy leaf sealed with the issuer's identity key.
     */
    public record Wrap(PeerKey recipient, byte[] tag, byte[] sealed, PeerKey ephPk) {
        public Wrap {
            tag = tag == null ? new byte[0] : tag.clone();
            sealed = sealed == null ? new byte[0] : sealed.clone();
        }

        @Override
        public byte[] tag() {
            return tag.clone();
        }

        @Override
        public byte[] sealed() {
            return sealed.clone();
        }

        PeerKey sealer(PeerKey issuer) {
            return ephPk != null ? ephPk : issuer;
        }

        String sortKey() {
            return (recipient == null ? Json.ZERO_PK : recipient.hex()) + "|" + Json.HEX.formatHex(tag);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Wrap w && Objects.equals(w.recipient, recipient) && Arrays.equals(w.tag, tag)
                    && Arrays.equals(w.sealed, sealed) && Objects.equals(w.ephPk, ephPk);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tag);
        }
    }

    public KeyMutation {
        Objects.requireNonNull(groupId, "groupId");
        wraps = wraps == null ? List.of() : List.copyOf(wraps);
        if (signature != null && signature.length != Signatures.LENGTH) {
            throw new GroupException(Reason.BAD_MUTATION, "key rotation signature must be " + Signatures.LENGTH + " bytes");
        }
        signature = signature == null ? null : signature.clone();
    }

    /**
     * Wraps {@code newKey} for each distinct recipient (a key not on the curve is skipped, as upstream) and signs.
     * BAD_MUTATION when nobody could be wrapped for: a key nobody can open would destroy the group.
     */
    public static KeyMutation rotate(KeyPair issuer, GroupId groupId, long epoch, GroupKey newKey,
            Collection<PeerKey> recipients, long parentSeq, long issuedAtNano) {
        KeyPair eph = KeyPair.generate();
        byte[] ephSk = eph.secret();
        try {
            List<Wrap> wraps = new ArrayList<>();
            for (PeerKey pk : new LinkedHashSet<>(recipients)) {
                if (!Secp256k1.isValidPublicKey(pk)) {
                    continue;
                }
                byte[] wk = Secp256k1.ecdh(ephSk, pk);
                byte[] nonce = GroupCipher.randomNonce();
                byte[] ct = Aead.seal(wk, nonce, newKey.bytes(), null);
                byte[] sealed = Arrays.copyOf(nonce, nonce.length + ct.length);
                System.arraycopy(ct, 0, sealed, nonce.length, ct.length);
                wraps.add(new Wrap(null, tag(wk), sealed, eph.publicKey()));
                Arrays.fill(wk, (byte) 0);
            }
            return new KeyMutation(groupId, epoch, wraps, parentSeq, issuedAtNano, null, null).sign(issuer);
        } finally {
            Arrays.fill(ephSk, (byte) 0);
            eph.destroy();
        }
    }

    static byte[] tag(byte[] wrapKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(TAG_LABEL);
            return Arrays.copyOf(sha.digest(wrapKey), TAG_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The new key if one wrap is addressed to {@code me} (by tag, or by name on a legacy leaf) and opens; empty for
     * anyone the rotation left out. Call {@link #verify()} first.
     */
    public Optional<GroupKey> openFor(KeyPair me) {
        byte[] sk = me.secret();
        try {
            Map<PeerKey, byte[]> wrapKeys = new HashMap<>();
            for (Wrap w : wraps) {
                PeerKey sealer = w.sealer(issuer);
                if (sealer == null || w.sealed.length == 0) {
                    continue;
                }
                boolean mine;
                if (w.recipient != null) {
                    mine = w.recipient.equals(me.publicKey());
                } else if (w.tag.length > 0) {
                    byte[] wk = wrapKeys.computeIfAbsent(sealer, s -> Secp256k1.isValidPublicKey(s) ? Secp256k1.ecdh(sk, s) : null);
                    mine = wk != null && MessageDigest.isEqual(tag(wk), w.tag);
                } else {
                    mine = false;
                }
                if (mine && Secp256k1.isValidPublicKey(sealer)) {
                    byte[] wk = wrapKeys.computeIfAbsent(sealer, s -> Secp256k1.ecdh(sk, s));
                    return unseal(wk, w.sealed);
                }
            }
            return Optional.empty();
        } finally {
            Arrays.fill(sk, (byte) 0);
        }
    }

    private Optional<GroupKey> unseal(byte[] wrapKey, byte[] sealed) {
        if (sealed.length < Aead.NONCE_LENGTH + Aead.TAG_LENGTH) {
            return Optional.empty();
        }
        try {
            byte[] key = Aead.open(wrapKey, Arrays.copyOf(sealed, Aead.NONCE_LENGTH),
                    Arrays.copyOfRange(sealed, Aead.NONCE_LENGTH, sealed.length), null);
            return key.length == GroupKey.LENGTH ? Optional.of(new GroupKey(key, epoch)) : Optional.empty();
        } catch (AEADBadTagException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code 0x01 ‖ 0x04 ‖ uuid(16) ‖ BE64 epoch ‖ wrapsDigest(32) ‖ BE64 parent_seq ‖ BE64 issued_at ‖ issuer(33)}
     * where wrapsDigest = SHA-256 over the wraps sorted by {@code recipient hex|tag hex}, each as
     * {@code recipient(33, zero if blinded) ‖ BE64 len(sealed) ‖ sealed ‖ ephPk (if set) ‖ tag (if set)}.
     */
    public byte[] canonicalBytes() {
        requireFields();
        return ByteBuffer.allocate(1 + 1 + 16 + 8 + 32 + 8 + 8 + PeerKey.LENGTH).put(CANONICAL_VERSION).put(DOMAIN_KEY)
                .put(groupId.bytes()).putLong(epoch).put(wrapsDigest()).putLong(parentSeq).putLong(issuedAtNano)
                .put(issuer == null ? new byte[PeerKey.LENGTH] : issuer.toBytes()).array();
    }

    byte[] wrapsDigest() {
        List<Wrap> sorted = new ArrayList<>(wraps);
        sorted.sort(Comparator.comparing(Wrap::sortKey));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Wrap w : sorted) {
                sha.update(w.recipient == null ? new byte[PeerKey.LENGTH] : w.recipient.toBytes());
                sha.update(ByteBuffer.allocate(8).putLong(w.sealed.length).array());
                sha.update(w.sealed);
                if (w.ephPk != null) {
                    sha.update(w.ephPk.toBytes());
                }
                sha.update(w.tag);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] digest() {
        return GroupLeaf.sha256(canonicalBytes());
    }

    public KeyMutation sign(KeyPair by) {
        KeyMutation m = new KeyMutation(groupId, epoch, wraps, parentSeq, issuedAtNano, by.publicKey(), null);
        return new KeyMutation(groupId, epoch, wraps, parentSeq, issuedAtNano, by.publicKey(), Signatures.sign(m.digest(), by));
    }

    /** BAD_MUTATION when incomplete (no wraps, a wrap addressed to nobody); BAD_SIGNATURE when not the issuer's. */
    public void verify() {
        requireFields();
        if (issuer == null) {
            throw new GroupException(Reason.BAD_MUTATION, "key rotation to epoch " + Long.toUnsignedString(epoch) + " has no issuer_pk");
        }
        if (signature == null) {
            throw new GroupException(Reason.BAD_SIGNATURE, "key rotation to epoch " + Long.toUnsignedString(epoch) + " is unsigned");
        }
        try {
            Signatures.verify(issuer, signature, digest());
        } catch (SignatureException e) {
            throw new GroupException(Reason.BAD_SIGNATURE, "key rotation to epoch " + Long.toUnsignedString(epoch)
                    + " is not signed by its issuer " + issuer + ": " + e.getMessage());
        }
    }

    private void requireFields() {
        if (issuedAtNano == 0 || wraps.isEmpty()) {
            throw new GroupException(Reason.BAD_MUTATION, "key rotation needs issued_at and at least one wrap");
        }
        for (Wrap w : wraps) {
            if ((w.recipient == null && w.tag.length == 0) || w.sealed.length == 0) {
                throw new GroupException(Reason.BAD_MUTATION, "key rotation has a wrap addressed to nobody or sealing nothing");
            }
        }
    }

    /** The replay-guard key: every rotation is ordered against every other. */
    public String watermarkKey() {
        return "k:group";
    }

    public String path(long seq) {
        return GroupPaths.keys(seq);
    }

    /**
     * {@code {"group_id","epoch","wraps":[{"recipient_pk","tag"?,"sealed","eph_pk"}],"parent_seq","issued_at",
     * "issuer_pk","signature"}}; Go writes array-typed keys even when zero.
     */
    public byte[] toJson() {
        StringBuilder ws = new StringBuilder("[");
        for (int i = 0; i < wraps.size(); i++) {
            Wrap w = wraps.get(i);
            ws.append(i == 0 ? "" : ",").append(new Json.Out().pk("recipient_pk", w.recipient)
                    .bytesIfNotEmpty("tag", w.tag).bytes("sealed", w.sealed).pk("eph_pk", w.ephPk).done());
        }
        ws.append(']');
        return new Json.Out().str("group_id", groupId.value()).u64("epoch", epoch).raw("wraps", ws.toString())
                .u64("parent_seq", parentSeq).time("issued_at", issuedAtNano).pk("issuer_pk", issuer)
                .sig("signature", signature).bytes();
    }

    /** Decodes only; {@link #verify()} or {@link Governance#apply(KeyMutation)} before trusting it. */
    public static KeyMutation fromJson(byte[] json) {
        Json.In in = Json.In.parse(json, Reason.BAD_MUTATION, "key rotation");
        GroupId id;
        try {
            id = GroupId.parse(in.str("group_id"));
        } catch (GroupException e) {
            throw in.fail(e.getMessage());
        }
        List<Wrap> wraps = new ArrayList<>();
        for (Json.In w : in.objects("wraps")) {
            wraps.add(new Wrap(w.pk("recipient_pk"), w.bytes("tag"), w.bytes("sealed"), w.pk("eph_pk")));
        }
        return new KeyMutation(id, in.unsigned("epoch", 64), wraps, in.unsigned("parent_seq", 64), in.time("issued_at"),
                in.pk("issuer_pk"), in.sig("signature"));
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyMutation m && m.groupId.equals(groupId) && m.epoch == epoch && m.wraps.equals(wraps)
                && m.parentSeq == parentSeq && m.issuedAtNano == issuedAtNano && Objects.equals(m.issuer, issuer)
                && Arrays.equals(m.signature, signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, epoch, issuedAtNano);
    }

    @Override
    public String toString() {
        return "KeyMutation[" + groupId + " epoch " + Long.toUnsignedString(epoch) + ", " + wraps.size() + " wraps, by "
                + issuer + "]";
    }
}
