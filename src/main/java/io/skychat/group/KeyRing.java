package io.skychat.group;

import io.skychat.group.GroupException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The keys a member holds (upstream {@code keyring.go}): the current key, which seals new bodies, and up to
 * {@link #MAX_RETIRED} retired keys, newest first, which still open older ones. Immutable. The current key is the
 * highest epoch, a same-epoch race settled by the later {@code issued_at}; a key that loses is kept in the ring so
 * what its issuer already sealed under it stays readable. Past the bound the oldest key is dropped.
 */
public final class KeyRing {

    public static final int MAX_RETIRED = 32;
    private static final KeyRing EMPTY = new KeyRing(null, 0, List.of());

    private final GroupKey current;
    private final long currentIssuedAtNano;
    private final List<GroupKey> retired;

    private KeyRing(GroupKey current, long currentIssuedAtNano, List<GroupKey> retired) {
        this.current = current;
        this.currentIssuedAtNano = currentIssuedAtNano;
        this.retired = List.copyOf(retired);
    }

    public static KeyRing empty() {
        return EMPTY;
    }

    /** A private group's first key (epoch 0 when created, or the epoch an admission answer handed over). */
    public static KeyRing of(GroupKey current) {
        return EMPTY.install(current, 0);
    }

    /** {@link #of(List, long)} with no issue time for the current key. */
    public static KeyRing of(List<GroupKey> keys) {
        return of(keys, 0);
    }

    /** Restores a persisted ring: {@code keys} current first, then retired newest first, as {@link #keys()}. */
    public static KeyRing of(List<GroupKey> keys, long currentIssuedAtNano) {
        if (keys.isEmpty()) {
            return EMPTY;
        }
        List<GroupKey> rest = keys.subList(1, keys.size());
        return new KeyRing(keys.get(0), currentIssuedAtNano, rest.size() > MAX_RETIRED ? rest.subList(0, MAX_RETIRED) : rest);
    }

    /** {@link #install(GroupKey, long)} with no issue time: wins only by a higher epoch. */
    public KeyRing with(GroupKey key) {
        return install(key, 0);
    }

    /** Adds a key learned from a rotation issued at {@code issuedAtNano}; unchanged if the key is already held. */
    public KeyRing install(GroupKey key, long issuedAtNano) {
        if (holds(key)) {
            return this;
        }
        if (current == null) {
            return new KeyRing(key, issuedAtNano, retired);
        }
        boolean supersedes = Long.compareUnsigned(key.epoch(), current.epoch()) > 0
                || (key.epoch() == current.epoch() && issuedAtNano > currentIssuedAtNano);
        if (!supersedes) {
            return new KeyRing(current, currentIssuedAtNano, push(key));
        }
        return new KeyRing(key, issuedAtNano, push(current));
    }

    private List<GroupKey> push(GroupKey k) {
        List<GroupKey> out = new ArrayList<>(retired.size() + 1);
        out.add(k);
        out.addAll(retired);
        return out.size() > MAX_RETIRED ? out.subList(0, MAX_RETIRED) : out;
    }

    private boolean holds(GroupKey key) {
        return key.equals(current) || retired.contains(key);
    }

    public Optional<GroupKey> current() {
        return Optional.ofNullable(current);
    }

    public long currentIssuedAtNano() {
        return currentIssuedAtNano;
    }

    /** The newest held key of that epoch. */
    public Optional<GroupKey> byEpoch(long epoch) {
        return keys().stream().filter(k -> k.epoch() == epoch).findFirst();
    }

    /** Every key to try, current first, then retired newest first. */
    public List<GroupKey> keys() {
        if (current == null) {
            return List.of();
        }
        List<GroupKey> out = new ArrayList<>(1 + retired.size());
        out.add(current);
        out.addAll(retired);
        return List.copyOf(out);
    }

    public int size() {
        return (current == null ? 0 : 1) + retired.size();
    }

    /**
     * The text of a leaf: as is for a plaintext leaf, else opened with the first key that works (leaves carry no
     * epoch, and a wrong key fails the GCM tag rather than yielding garbage). DECRYPT_FAILED when none opens it.
     */
    public String open(GroupLeaf leaf) {
        if (!leaf.isSealed()) {
            return leaf.text();
        }
        for (GroupKey k : keys()) {
            try {
                return leaf.open(k);
            } catch (GroupException wrongKey) {
                // try the next, older key
            }
        }
        throw new GroupException(Reason.DECRYPT_FAILED, current == null
                ? "private body cannot be opened: no group key is held yet"
                : "private body does not decrypt under any of the " + size() + " keys held");
    }

    @Override
    public String toString() {
        return "KeyRing[" + keys().stream().map(k -> Long.toUnsignedString(k.epoch())).toList() + "]";
    }
}
