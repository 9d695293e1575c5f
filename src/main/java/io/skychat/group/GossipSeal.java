package io.skychat.group;

import io.skychat.group.GroupException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Governance leaves ({@code roster/}, {@code admin/}, {@code mod/}) of a private group are sealed under the group
 * key (upstream {@code gossip_seal.go}): {@code "SKG1" ‖ nonce(12) ‖ AES-256-GCM(JSON envelope)}. A body without the
 * magic is a plaintext envelope and is read as is. Key rotations ({@code keys/}) are never sealed: they carry
 * their own wraps.
 */
public final class GossipSeal {

    static final byte[] MAGIC = "SKG1".getBytes(StandardCharsets.US_ASCII);

    private GossipSeal() {
    }

    public static boolean isSealed(byte[] body) {
        return body != null && body.length > MAGIC.length && Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    public static byte[] seal(GroupKey key, byte[] envelope) {
        byte[] nonce = GroupCipher.randomNonce();
        byte[] ct = GroupCipher.encrypt(key, nonce, envelope);
        byte[] out = new byte[MAGIC.length + nonce.length + ct.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        System.arraycopy(nonce, 0, out, MAGIC.length, nonce.length);
        System.arraycopy(ct, 0, out, MAGIC.length + nonce.length, ct.length);
        return out;
    }

    /**
     * The envelope inside {@code body}, trying every key of the ring newest first; an unsealed body comes back
     * unchanged. DECRYPT_FAILED when no key opens it (the caller may park it until a new key arrives).
     */
    public static byte[] open(KeyRing ring, byte[] body) {
        if (!isSealed(body)) {
            return body;
        }
        int off = MAGIC.length;
        if (body.length - off <= GroupCipher.NONCE_LENGTH) {
            throw new GroupException(Reason.DECRYPT_FAILED, "sealed governance leaf is truncated: "
                    + (body.length - off) + " bytes after the magic");
        }
        byte[] nonce = Arrays.copyOfRange(body, off, off + GroupCipher.NONCE_LENGTH);
        byte[] ct = Arrays.copyOfRange(body, off + GroupCipher.NONCE_LENGTH, body.length);
        for (GroupKey k : ring.keys()) {
            try {
                return GroupCipher.decrypt(k, nonce, ct);
            } catch (GroupException wrongKey) {
                // AES-GCM is authenticated: a wrong key fails the tag, so the next key may still open it
            }
        }
        throw new GroupException(Reason.DECRYPT_FAILED, "sealed governance leaf: no key of the "
                + ring.keys().size() + " held opens it");
    }
}
