package io.skychat.group;

import java.util.Arrays;

/**
 * One epoch's AES-256 group key (upstream {@code keyring.GroupKey}). Epoch 0 is the key a private group is created
 * with; each rotation numbers the next. The epoch is an unsigned 64-bit value on the wire.
 */
public final class GroupKey {

    public static final int LENGTH = 32;

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final byte[] key;
    private final long epoch;

    public GroupKey(byte[] key, long epoch) {
        if (key == null || key.length != LENGTH) {
            throw new IllegalArgumentException("group key must be 32 bytes, got " + (key == null ? "none" : key.length));
        }
        this.key = key.clone();
        this.epoch = epoch;
    }

    public static GroupKey random(long epoch) {
        byte[] k = new byte[LENGTH];
        RANDOM.nextBytes(k);
        return new GroupKey(k, epoch);
    }

    public byte[] bytes() {
        return key.clone();
    }

    public long epoch() {
        return epoch;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupKey k && k.epoch == epoch && Arrays.equals(k.key, key);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epoch);
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "GroupKey[epoch " + epoch + "]";
    }
}
