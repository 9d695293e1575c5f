package io.skychat.feed;

import io.skychat.crypto.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A feed's path → bytes tree (upstream {@code pkg/cxo/treestore}), held in memory and published as a
 * chain of signed Roots. Not thread-safe: the publisher owning it serialises puts, deletes and publishes.
 */
public final class TreeStore {

    /** The head id: upstream uses its active head or 1, and CXO requires a non-zero nonce. */
    public static final long NONCE = 1;

    private final KeyPair feed;
    /** Values are {@code byte[]} leaves or nested {@code TreeMap}s, by name in byte order. */
    private final TreeMap<String, Object> top = level();
    private SignedRoot last;
    private Set<Hash> held = Set.of();
    private boolean dirty = true;

    public TreeStore(KeyPair feed) {
        this.feed = feed;
    }

    /**
     * Picks a feed up where {@code last} left it (upstream's hydrate after a restart): the tree is read
     * back from {@code source}, which must hold all of it, and the next publish continues the chain.
     * Empty levels left by a prune do not survive, so the next Root may differ from {@code last} there.
     */
    public static TreeStore resume(KeyPair feed, SignedRoot last, ObjectSource source) {
        if (!last.root().pub().equals(feed.publicKey())) {
            throw FeedException.wrongFeed(feed.publicKey().hex(), last.root().pub().hex());
        }
        TreeWalk.Result tree = TreeWalk.walk(last.root(), source);
        if (!tree.complete()) {
            throw FeedException.malformed("cannot resume: " + tree.missing().size() + " objects of the last Root are missing");
        }
        TreeStore store = new TreeStore(feed);
        tree.leaves().forEach(store::put);
        Set<Hash> held = new HashSet<>();
        tree.objects().forEach(o -> held.add(o.key()));
        store.held = held;
        store.last = last;
        store.dirty = false;
        return store;
    }

    private static TreeMap<String, Object> level() {
        return new TreeMap<>(Registry.BYTE_ORDER);
    }

    /**
     * Sets the leaf at {@code path}, creating parents. A leaf in the way of a parent, or a subtree at the
     * path itself, is a conflict: delete or prune it first. An empty value is stored, but upstream
     * readers skip empty leaves, so it reads back as absent.
     */
    public void put(String path, byte[] value) {
        List<String> segments = TreePath.leaf(path);
        TreeMap<String, Object> at = top;
        for (String s : segments.subList(0, segments.size() - 1)) {
            Object next = at.get(s);
            if (next instanceof byte[]) {
                throw FeedException.pathConflict(path);
            }
            if (next == null) {
                next = level();
                at.put(s, next);
            }
            at = cast(next);
        }
        String name = segments.get(segments.size() - 1);
        if (at.get(name) instanceof TreeMap) {
            throw FeedException.pathConflict(path);
        }
        at.put(name, value.clone());
        dirty = true;
    }

    /** Removes the leaf at {@code path} (not a subtree: see {@link #prune}), then every parent left empty. */
    public boolean delete(String path) {
        List<String> segments = TreePath.leaf(path);
        List<TreeMap<String, Object>> chain = new ArrayList<>();
        TreeMap<String, Object> at = top;
        for (String s : segments.subList(0, segments.size() - 1)) {
            chain.add(at);
            if (!(at.get(s) instanceof TreeMap)) {
                return false;
            }
            at = cast(at.get(s));
        }
        if (!(at.get(segments.get(segments.size() - 1)) instanceof byte[])) {
            return false;
        }
        at.remove(segments.get(segments.size() - 1));
        for (int i = chain.size() - 1; i >= 0 && at.isEmpty(); i--) {
            chain.get(i).remove(segments.get(i));
            at = chain.get(i);
        }
        dirty = true;
        return true;
    }

    /**
     * Removes whatever is at {@code prefix}, leaf or subtree; "" clears the tree. Unlike {@link #delete},
     * parents left empty stay (as upstream's PrunePrefix), and publish as empty TreeNodes.
     */
    public boolean prune(String prefix) {
        List<String> segments = TreePath.split(prefix);
        if (segments.isEmpty()) {
            boolean had = !top.isEmpty();
            top.clear();
            dirty |= had;
            return had;
        }
        TreeMap<String, Object> at = top;
        for (String s : segments.subList(0, segments.size() - 1)) {
            if (!(at.get(s) instanceof TreeMap)) {
                return false;
            }
            at = cast(at.get(s));
        }
        if (at.remove(segments.get(segments.size() - 1)) == null) {
            return false;
        }
        dirty = true;
        return true;
    }

    public byte[] get(String path) {
        Object at = top;
        for (String s : TreePath.leaf(path)) {
            if (!(at instanceof TreeMap)) {
                return null;
            }
            at = cast(at).get(s);
        }
        return at instanceof byte[] b ? b.clone() : null;
    }

    /** Every leaf by full path, sorted by path (byte order). */
    public SortedMap<String, byte[]> entries() {
        SortedMap<String, byte[]> out = new TreeMap<>(Registry.BYTE_ORDER);
        collect(top, "", out);
        return Collections.unmodifiableSortedMap(out);
    }

    /** True when something changed since the last publish (or nothing was published yet). */
    public boolean isDirty() {
        return dirty;
    }

    public SignedRoot last() {
        return last;
    }

    /**
     * Signs a new Root over the current tree (Seq = last + 1, Prev = last hash, as upstream's saveRoot)
     * at {@code timeNanos}, and returns it with the objects it needs.
     */
    public Publication publish(long timeNanos) {
        Map<Hash, byte[]> built = new HashMap<>();
        Hash topNode = encode(top, built);
        long seq = last == null ? 0 : last.root().seq() + 1;
        Hash prev = last == null ? Hash.ZERO : last.hash();
        Root root = new Root(List.of(new Dynamic(topNode, TreeSchemas.NODE_REF)), new byte[0],
                TreeSchemas.REGISTRY_REF, feed.publicKey(), NONCE, seq, timeNanos, prev);
        SignedRoot signed = SignedRoot.sign(root, feed);
        List<FeedObject> objects = TreeWalk.walk(root, built::get).objects();
        List<FeedObject> fresh = objects.stream().filter(o -> !held.contains(o.key())).toList();
        Set<Hash> nowHeld = new HashSet<>();
        objects.forEach(o -> nowHeld.add(o.key()));
        held = nowHeld; // upstream prunes its store to the last Root after each publish
        last = signed;
        dirty = false;
        return new Publication(signed, objects, fresh);
    }

    /** Encodes one level bottom-up; returns its TreeNode key. */
    private static Hash encode(TreeMap<String, Object> level, Map<Hash, byte[]> out) {
        List<Hash> entries = new ArrayList<>(level.size());
        for (Map.Entry<String, Object> e : level.entrySet()) {
            TreeEntry entry = e.getValue() instanceof byte[] leaf
                    ? TreeEntry.leaf(e.getKey(), leaf)
                    : TreeEntry.branch(e.getKey(), encode(cast(e.getValue()), out));
            entries.add(keep(entry.encode(), out));
        }
        Refs children = Refs.of(entries);
        children.objects().forEach(o -> out.put(o.key(), o.bytes()));
        return keep(TreeNode.of(children).encode(), out);
    }

    private static Hash keep(byte[] bytes, Map<Hash, byte[]> out) {
        Hash key = Hash.of(bytes);
        out.put(key, bytes);
        return key;
    }

    private static void collect(TreeMap<String, Object> level, String prefix, SortedMap<String, byte[]> out) {
        for (Map.Entry<String, Object> e : level.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "/" + e.getKey();
            if (e.getValue() instanceof byte[] leaf) {
                out.put(path, leaf.clone());
            } else {
                collect(cast(e.getValue()), path, out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static TreeMap<String, Object> cast(Object level) {
        return (TreeMap<String, Object>) level;
    }
}
