package io.skychat.feed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads a treestore Root's tree out of an {@link ObjectSource}: the objects in upstream's walk order
 * (TreeNode, its Children Refs objects, each TreeEntry followed by its subtree; each key once), the
 * keys still missing (what a subscriber requests next), and, once nothing is missing, every leaf by path.
 */
public final class TreeWalk {

    /** Bounds against hostile trees: identical subtrees share keys, so a small DAG can name huge trees. */
    static final int MAX_NESTING = 64;
    static final int MAX_ENTRIES = 1_000_000;

    /**
     * @param objects every object found, in walk order, each key once
     * @param missing keys referenced but not in the source, in walk order
     * @param leaves every leaf by path; only the reachable part when {@code missing} is not empty
     */
    public record Result(List<FeedObject> objects, Set<Hash> missing, SortedMap<String, byte[]> leaves) {
        public Result {
            objects = List.copyOf(objects);
            missing = Collections.unmodifiableSet(new LinkedHashSet<>(missing));
            leaves = Collections.unmodifiableSortedMap(new TreeMap<>(leaves));
        }

        public boolean complete() {
            return missing.isEmpty();
        }
    }

    private final ObjectSource source;
    private final Map<Hash, FeedObject> seen = new LinkedHashMap<>();
    private final Set<Hash> missing = new LinkedHashSet<>();
    private final SortedMap<String, byte[]> leaves = new TreeMap<>(Registry.BYTE_ORDER);
    private int entries;

    private TreeWalk(ObjectSource source) {
        this.source = source;
    }

    /** The Root must be a treestore Root: the treestore registry and one Dynamic of schema TreeNode. */
    public static Result walk(Root root, ObjectSource source) {
        if (!root.reg().equals(TreeSchemas.REGISTRY_REF)) {
            throw FeedException.malformed("Root registry " + root.reg().hex() + " is not the treestore registry");
        }
        if (root.refs().size() != 1 || !root.refs().get(0).schema().equals(TreeSchemas.NODE_REF)) {
            throw FeedException.malformed("a treestore Root holds exactly one TreeNode reference");
        }
        return walk(root.refs().get(0).object(), source);
    }

    /** Walks from a top TreeNode key. */
    public static Result walk(Hash topNode, ObjectSource source) {
        TreeWalk w = new TreeWalk(source);
        w.node(topNode, "", 0);
        return new Result(new ArrayList<>(w.seen.values()), w.missing, w.leaves);
    }

    private void node(Hash key, String path, int nesting) {
        if (nesting > MAX_NESTING) {
            throw FeedException.malformed("tree is nested deeper than " + MAX_NESTING);
        }
        byte[] bytes = fetch(key);
        if (bytes == null) {
            return;
        }
        String[] previous = {null};
        Refs.walk(TreeNode.decode(bytes).children(), this::fetch, new Refs.Visitor() {
            @Override
            public void object(FeedObject object) {
                // fetch() already recorded it
            }

            @Override
            public void missing(Hash k) {
                // fetch() already recorded it
            }

            @Override
            public void element(Hash element) {
                if (++entries > MAX_ENTRIES) {
                    throw FeedException.malformed("tree has more than " + MAX_ENTRIES + " entries");
                }
                if (element.isZero()) {
                    throw FeedException.malformed("a TreeNode lists a nil entry");
                }
                byte[] entryBytes = fetch(element);
                if (entryBytes == null) {
                    return;
                }
                TreeEntry entry = TreeEntry.decode(entryBytes);
                // upstream writes names sorted; anything else would make one path mean two values
                if (previous[0] != null && Registry.BYTE_ORDER.compare(previous[0], entry.name()) >= 0) {
                    throw FeedException.malformed("entries of '" + path + "' are not in ascending name order");
                }
                previous[0] = entry.name();
                String child = path.isEmpty() ? entry.name() : path + "/" + entry.name();
                if (entry.isBranch()) {
                    node(entry.sub(), child, nesting + 1);
                } else if (entry.leaf().length > 0) {
                    leaves.put(child, entry.leaf()); // upstream readers skip an empty leaf; so do we
                }
            }
        });
    }

    /** Looks a key up once; records it as found (in order) or missing. */
    private byte[] fetch(Hash key) {
        FeedObject known = seen.get(key);
        if (known != null) {
            return known.view();
        }
        if (missing.contains(key)) {
            return null;
        }
        byte[] bytes = source.get(key);
        if (bytes == null) {
            missing.add(key);
            return null;
        }
        seen.put(key, new FeedObject(key, bytes));
        return bytes;
    }
}
