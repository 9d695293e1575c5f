package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.support.Keys;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/** Fixed identities and a byte-array builder for writing canonical layouts by hand from the notes. */
final class GroupFixtures {

    static final KeyPair ALICE = KeyPair.fromSecretHex(Keys.ALICE_SK);
    static final KeyPair BOB = KeyPair.fromSecretHex(Keys.BOB_SK);
    static final KeyPair CAROL = KeyPair.fromSecretHex(Keys.CAROL_SK);
    static final KeyPair DAVE = KeyPair.deterministic("dave".getBytes(StandardCharsets.US_ASCII));
    static final GroupId GROUP = GroupId.parse("72afa409-8b2e-4323-aa1e-8be57f30ebd5");
    static final Instant NOW = Instant.parse("2026-12-01T16:00:00Z");
    static final long NOW_NANO = 1_796_140_800_000_000_000L;
    static final HexFormat HEX = HexFormat.of();

    private GroupFixtures() {
    }

    static PeerKey pk(KeyPair k) {
        return k.publicKey();
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Concatenates fields the way the notes list them. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int v) {
            out.write(v);
            return this;
        }

        Bytes be32(int v) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
            return this;
        }

        Bytes be64(long v) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
            return this;
        }

        Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Bytes hex(String h) {
            return raw(HEX.parseHex(h));
        }

        Bytes ascii(String s) {
            return raw(s.getBytes(StandardCharsets.US_ASCII));
        }

        byte[] get() {
            return out.toByteArray();
        }
    }
}
