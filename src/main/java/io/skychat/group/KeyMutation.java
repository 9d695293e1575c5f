package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A signed key rotation at {@code keys/<seq>} (upstream {@code KeyMutation}): the new epoch's key wrapped
 * once per remaining member under {@code ECDH(recipient, ephemeral)}, each wrap found by a blinded tag.
 */
public record KeyMutation(GroupId groupId, long epoch, List<Wrap> wraps, long parentSeq, long issuedAtNano,
        PeerKey issuer, byte[] signature) {

    /** One recipient's copy; {@code recipient} is null on blinded wraps (all that this side issues). */
    public record Wrap(PeerKey recipient, byte[] tag, byte[] sealed, PeerKey ephPk) {
    }

    public static KeyMutation rotate(KeyPair issuer, GroupId groupId, long epoch, GroupKey newKey,
            Collection<PeerKey> recipients, long parentSeq, long issuedAtNano) {
        throw new UnsupportedOperationException();
    }

    public Optional<GroupKey> openFor(KeyPair me) {
        throw new UnsupportedOperationException();
    }

    public byte[] canonicalBytes() {
        throw new UnsupportedOperationException();
    }

    public KeyMutation sign(KeyPair issuer) {
        throw new UnsupportedOperationException();
    }

    public void verify() {
        throw new UnsupportedOperationException();
    }

    public String path(long seq) {
        return GroupPaths.keys(seq);
    }

    public byte[] toJson() {
        throw new UnsupportedOperationException();
    }

    public static KeyMutation fromJson(byte[] json) {
        throw new UnsupportedOperationException();
    }
}
