package io.skychat.feed;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.SignatureException;
import io.skychat.crypto.Signatures;
import java.util.Arrays;

/**
 * A Root with its encoding, hash and the feed's 65-byte signature over that hash (upstream
 * {@code SignHash(SHA256(encoded Root), feed sk)}). Built either by signing or by verifying received bytes.
 */
public record SignedRoot(Root root, byte[] value, Hash hash, byte[] sig) {

    public SignedRoot {
        value = value.clone();
        sig = sig.clone();
        if (sig.length != Signatures.LENGTH) {
            throw new IllegalArgumentException("a signature is " + Signatures.LENGTH + " bytes");
        }
        if (!Hash.of(value).equals(hash) || !Arrays.equals(root.encode(), value)) {
            throw new IllegalArgumentException("value and hash do not belong to this Root");
        }
    }

    /** Signs as the feed; the key must be the Root's Pub. */
    public static SignedRoot sign(Root root, KeyPair feed) {
        if (!feed.publicKey().equals(root.pub())) {
            throw new IllegalArgumentException("feed key " + feed.publicKey() + " cannot sign a Root of " + root.pub());
        }
        byte[] value = root.encode();
        Hash hash = Hash.of(value);
        byte[] sk = feed.secret();
        try {
            return new SignedRoot(root, value, hash, Signatures.signHash(hash.bytes(), sk));
        } finally {
            Arrays.fill(sk, (byte) 0);
        }
    }

    /**
     * A Root as a peer pushed it for {@code feed}: decoded, then checked to belong to that feed and to be
     * signed by it over SHA-256 of exactly these bytes.
     */
    public static SignedRoot received(PeerKey feed, byte[] value, byte[] sig) {
        Root root = Root.decode(value);
        if (!root.pub().equals(feed)) {
            throw FeedException.wrongFeed(feed.hex(), root.pub().hex());
        }
        if (sig == null || sig.length != Signatures.LENGTH) {
            throw FeedException.badSignature("signature is " + (sig == null ? 0 : sig.length) + " bytes");
        }
        Hash hash = Hash.of(value);
        try {
            Signatures.verifyHash(feed, sig, hash.bytes());
        } catch (SignatureException e) {
            throw FeedException.badSignature(e.getMessage());
        }
        return new SignedRoot(root, value, hash, sig);
    }

    /**
     * Checks this Root may replace {@code last} (the newest one held for the same feed and nonce): its
     * Seq must be higher, and when it is the very next one its Prev must be {@code last}'s hash.
     * A gap is allowed: publishers keep only their newest Root, so a subscriber may miss some.
     */
    public void checkFollows(SignedRoot last) {
        if (last == null) {
            return;
        }
        if (!last.root().pub().equals(root.pub())) {
            throw FeedException.wrongFeed(last.root().pub().hex(), root.pub().hex());
        }
        if (last.root().nonce() != root.nonce()) {
            throw new IllegalArgumentException("roots of heads " + last.root().nonce() + " and " + root.nonce()
                    + " are separate chains");
        }
        if (Long.compareUnsigned(root.seq(), last.root().seq()) <= 0) {
            throw FeedException.staleRoot(last.root().seq(), root.seq());
        }
        if (root.seq() == last.root().seq() + 1 && !root.prev().equals(last.hash())) {
            throw FeedException.prevMismatch(root.seq());
        }
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public byte[] sig() {
        return sig.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRoot s && hash.equals(s.hash) && Arrays.equals(sig, s.sig);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "SignedRoot[" + root + ", " + hash.hex() + "]";
    }
}
