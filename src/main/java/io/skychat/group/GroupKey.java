package io.skychat.group;

import java.util.Arrays;

/** One epoch's AES-256 group key. Epoch 0 is the key a private group is created with. */
public final class GroupKey {

    public static final int LENGTH = 32;

    private final byte[] key;
    private final long epoch;

    public GroupKey(byte[] key, long epoch) {
        if (key == null || key.length != LENGTH) {
            throw new GroupException(GroupException.Reason.DECRYPT_FAILED, "group key must be 32 bytes, got "
                    + (key == null ? "none" : key.length));
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be ≥ 0");
        }
        this.key = key.clone();
        this.epoch = epoch;
    }

    public static GroupKey random(long epoch) {
        throw new UnsupportedOperationException();
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
