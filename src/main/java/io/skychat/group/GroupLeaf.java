package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.SignatureException;
import io.skychat.crypto.Signatures;
import io.skychat.group.GroupException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message leaf at {@code msgs/<sender>/<tsNano>/<seq>} on its author's feed (upstream {@code group.Message}).
 * Public groups and channels carry {@code text}; private ones an AES-256-GCM {@code ciphertext} (tag included) and
 * its 12-byte {@code nonce}, with text empty. The author signs {@code SHA-256(canonicalBytes())} with SignPayload, so
 * the ECDSA step sees two SHA-256 passes, as upstream {@code signing.go}. {@code signature} is null on an unsigned
 * (legacy) leaf, which {@link #verify()} refuses.
 */
public record GroupLeaf(PeerKey senderPk, long tsNano, String text, byte[] ciphertext, byte[] nonce, byte[] signature) {

    static final byte CANONICAL_VERSION = 1;

    public GroupLeaf {
        if (senderPk == null) {
            throw new GroupException(Reason.BAD_LEAF, "message leaf has no sender_pk");
        }
        text = text == null ? "" : text;
        ciphertext = ciphertext == null ? new byte[0] : ciphertext.clone();
        nonce = nonce == null ? new byte[0] : nonce.clone();
        if (signature != null && signature.length != Signatures.LENGTH) {
            throw new GroupException(Reason.BAD_LEAF, "message leaf signature must be " + Signatures.LENGTH + " bytes");
        }
        signature = signature == null ? null : signature.clone();
    }

    /** A signed plaintext leaf, for a public group or a channel. */
    public static GroupLeaf signed(KeyPair author, long tsNano, String text) {
        Objects.requireNonNull(text, "text");
        return new GroupLeaf(author.publicKey(), tsNano, text, null, null, null).signedBy(author);
    }

    /** A signed leaf whose body is sealed under {@code key}, for a private group. */
    public static GroupLeaf sealed(KeyPair author, long tsNano, String text, GroupKey key) {
        byte[] nonce = GroupCipher.randomNonce();
        byte[] ct = GroupCipher.encrypt(key, nonce, text.getBytes(StandardCharsets.UTF_8));
        return new GroupLeaf(author.publicKey(), tsNano, "", ct, nonce, null).signedBy(author);
    }

    private GroupLeaf signedBy(KeyPair author) {
        if (!author.publicKey().equals(senderPk)) {
            throw new IllegalArgumentException("leaf of " + senderPk + " cannot be signed by " + author.publicKey());
        }
        return new GroupLeaf(senderPk, tsNano, text, ciphertext, nonce, Signatures.sign(digest(), author));
    }

    /**
     * {@code 0x01 ‖ sender(33) ‖ BE64 ts unixnano ‖ BE32 len ‖ text (UTF-8) ‖ BE32 len ‖ ciphertext ‖ BE32 len ‖ nonce}.
     */
    public byte[] canonicalBytes() {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + PeerKey.LENGTH + 8 + 4 + t.length + 4 + ciphertext.length + 4 + nonce.length)
                .put(CANONICAL_VERSION).put(senderPk.toBytes()).putLong(tsNano)
                .putInt(t.length).put(t).putInt(ciphertext.length).put(ciphertext).putInt(nonce.length).put(nonce)
                .array();
    }

    /** SHA-256 of the canonical bytes: the payload SignPayload signs. */
    public byte[] digest() {
        return sha256(canonicalBytes());
    }

    public boolean isSealed() {
        return ciphertext.length > 0;
    }

    public boolean isSigned() {
        return signature != null;
    }

    /** BAD_SIGNATURE when unsigned or not signed by {@code senderPk} over these exact fields. */
    public void verify() {
        if (signature == null) {
            throw new GroupException(Reason.BAD_SIGNATURE, "message leaf from " + senderPk + " is unsigned");
        }
        try {
            Signatures.verify(senderPk, signature, digest());
        } catch (SignatureException e) {
            throw new GroupException(Reason.BAD_SIGNATURE, "message leaf from " + senderPk
                    + " has a bad signature: " + e.getMessage());
        }
    }

    /** The plaintext: {@code text} for a plaintext leaf, else the body opened with {@code key} (DECRYPT_FAILED). */
    public String open(GroupKey key) {
        if (!isSealed()) {
            return text;
        }
        return new String(GroupCipher.decrypt(key, nonce, ciphertext), StandardCharsets.UTF_8);
    }

    public String path(long seq) {
        return GroupPaths.msg(senderPk, tsNano, seq);
    }

    /** {@code {"sender_pk","ts","text"?,"ciphertext"?,"nonce"?,"signature"}}: Go always writes the array-typed signature. */
    public byte[] toJson() {
        return new Json.Out().pk("sender_pk", senderPk).time("ts", tsNano).strIfNotEmpty("text", text)
                .bytesIfNotEmpty("ciphertext", ciphertext).bytesIfNotEmpty("nonce", nonce).sig("signature", signature)
                .bytes();
    }

    /** Decodes only; call {@link #verify()} before trusting it. BAD_LEAF when malformed. */
    public static GroupLeaf fromJson(byte[] json) {
        Json.In in = Json.In.parse(json, Reason.BAD_LEAF, "message leaf");
        return new GroupLeaf(in.requiredPk("sender_pk"), in.time("ts"), in.str("text"), in.bytes("ciphertext"),
                in.bytes("nonce"), in.sig("signature"));
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupLeaf l && l.senderPk.equals(senderPk) && l.tsNano == tsNano && l.text.equals(text)
                && Arrays.equals(l.ciphertext, ciphertext) && Arrays.equals(l.nonce, nonce)
                && Arrays.equals(l.signature, signature);
    }

    @Override
    public int hashCode() {
        return senderPk.hashCode() * 31 + Long.hashCode(tsNano);
    }

    @Override
    public String toString() {
        return "GroupLeaf[" + senderPk + " @" + tsNano + (isSealed() ? " sealed" : "") + "]";
    }
}
