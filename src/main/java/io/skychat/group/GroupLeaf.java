package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;

/**
 * A message leaf at {@code msgs/<sender>/<tsNano>/<seq>} on its author's feed (upstream {@code group.Message}).
 * Public groups carry {@code text}; private ones an AES-256-GCM {@code ciphertext} and its 12-byte
 * {@code nonce}, text empty. Signed by the author over {@link #canonicalBytes()}.
 */
public record GroupLeaf(PeerKey senderPk, long tsNano, String text, byte[] ciphertext, byte[] nonce, byte[] signature) {

    public byte[] canonicalBytes() {
        throw new UnsupportedOperationException();
    }

    public static GroupLeaf signed(KeyPair author, long tsNano, String text) {
        throw new UnsupportedOperationException();
    }

    public static GroupLeaf sealed(KeyPair author, long tsNano, String text, GroupKey key) {
        throw new UnsupportedOperationException();
    }

    public boolean isSealed() {
        return ciphertext != null && ciphertext.length > 0;
    }

    public void verify() {
        throw new UnsupportedOperationException();
    }

    public String open(GroupKey key) {
        throw new UnsupportedOperationException();
    }

    public byte[] toJson() {
        throw new UnsupportedOperationException();
    }

    public static GroupLeaf fromJson(byte[] json) {
        throw new UnsupportedOperationException();
    }
}
