package io.skychat.group;

import java.util.List;
import java.util.Optional;

/** The keys a member holds, newest epoch last, at most {@link #MAX_KEYS}; immutable. */
public final class KeyRing {

    public static final int MAX_KEYS = 16;

    public static KeyRing empty() {
        throw new UnsupportedOperationException();
    }

    public static KeyRing of(List<GroupKey> keys) {
        throw new UnsupportedOperationException();
    }

    public KeyRing with(GroupKey key) {
        throw new UnsupportedOperationException();
    }

    public Optional<GroupKey> current() {
        throw new UnsupportedOperationException();
    }

    public Optional<GroupKey> byEpoch(long epoch) {
        throw new UnsupportedOperationException();
    }

    public List<GroupKey> keys() {
        throw new UnsupportedOperationException();
    }

    /** Tries the newest key first; DECRYPT_FAILED when none opens it. */
    public String open(GroupLeaf leaf) {
        throw new UnsupportedOperationException();
    }
}
