package io.skychat.feed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * upstream {@code registry.Refs}: a list of hashes stored as a Merkle tree of degree 16. A field of
 * this type encodes to the 32-byte hash of the root object (all-zero when empty). The root is an
 * {@code encodedRefs} {Depth, Degree, Length, Elements}; deeper levels are {@code encodedRefsNode}
 * {Length, Elements}, filled left to right with full subtrees, only the last one partial.
 */
public final class Refs {

    /** {@code skyobject.Degree}, the degree the upstream container packs with. */
    public static final int DEGREE = 16;
    /** A bound for decoding only: 16^8 elements is already far beyond any feed. */
    static final int MAX_DEPTH_FIELD = 8;
    private static final int MAX_DEGREE = 1024;

    private final List<Hash> elements;
    private final int degree;
    private List<FeedObject> objects;

    private Refs(List<Hash> elements, int degree) {
        this.elements = elements;
        this.degree = degree;
    }

    public static Refs empty() {
        return new Refs(List.of(), DEGREE);
    }

    public static Refs of(List<Hash> elements) {
        return of(elements, DEGREE);
    }

    public static Refs of(List<Hash> elements, int degree) {
        if (degree < 2 || degree > MAX_DEGREE) {
            throw new IllegalArgumentException("degree must be 2.." + MAX_DEGREE);
        }
        return new Refs(List.copyOf(elements), degree);
    }

    /** A new Refs with one more element; the same tree as building it with all elements at once. */
    public Refs append(Hash element) {
        List<Hash> more = new ArrayList<>(elements.size() + 1);
        more.addAll(elements);
        more.add(element);
        return new Refs(Collections.unmodifiableList(more), degree);
    }

    public List<Hash> elements() {
        return elements;
    }

    public int size() {
        return elements.size();
    }

    public int degree() {
        return degree;
    }

    /** The smallest d ≥ 1 with degree^d ≥ size; the root's Depth field is one less. 0 when empty. */
    public int depth() {
        return depthFor(elements.size(), degree);
    }

    /** What a Refs field encodes to: the key of the root object, or all-zero when empty. */
    public Hash hash() {
        List<FeedObject> all = objects();
        return all.isEmpty() ? Hash.ZERO : all.get(0).key();
    }

    /** Every object of the tree: the encodedRefs root first, then the branches in pre-order. */
    public List<FeedObject> objects() {
        if (objects == null) {
            List<FeedObject> out = new ArrayList<>();
            if (!elements.isEmpty()) {
                int depth = depth();
                List<FeedObject> below = new ArrayList<>();
                List<Hash> top = depth == 1 ? elements : children(elements, depth - 1, below);
                SkyWriter w = new SkyWriter(12 + 4 + top.size() * Hash.LENGTH)
                        .u32(depth - 1).u32(degree).u32(elements.size());
                writeHashes(w, top);
                out.add(FeedObject.of(w.toByteArray()));
                out.addAll(below);
            }
            objects = List.copyOf(out);
        }
        return objects;
    }

    /** Builds the nodes one level down from {@code level + 1}; returns their keys, adds them in pre-order. */
    private List<Hash> children(List<Hash> span, int level, List<FeedObject> out) {
        long capacity = power(degree, level);
        List<Hash> keys = new ArrayList<>();
        for (int from = 0; from < span.size(); from += (int) Math.min(capacity, span.size())) {
            List<Hash> chunk = span.subList(from, (int) Math.min(span.size(), from + capacity));
            int at = out.size();
            out.add(null); // the node goes before its own children
            List<Hash> inner = level == 1 ? chunk : children(chunk, level - 1, out);
            SkyWriter w = new SkyWriter(8 + inner.size() * Hash.LENGTH).u32(chunk.size());
            writeHashes(w, inner);
            FeedObject node = FeedObject.of(w.toByteArray());
            out.set(at, node);
            keys.add(node.key());
        }
        return keys;
    }

    private static void writeHashes(SkyWriter w, List<Hash> hashes) {
        w.count(hashes.size());
        for (Hash h : hashes) {
            h.write(w);
        }
    }

    static int depthFor(long n, int degree) {
        if (n == 0) {
            return 0;
        }
        int d = 1;
        for (long cap = degree; cap < n; cap *= degree) {
            d++;
        }
        return d;
    }

    private static long power(int base, int exp) {
        long v = 1;
        for (int i = 0; i < exp; i++) {
            v *= base;
        }
        return v;
    }

    // ---- reading a tree someone else built ----

    /** The root object's fields. */
    record Head(int depthField, int degree, long length, List<Hash> elements) {

        static Head decode(byte[] bytes) {
            SkyReader in = new SkyReader(bytes, "encodedRefs");
            long depth = in.u32();
            long degree = in.u32();
            long length = in.u32();
            List<Hash> elements = hashes(in);
            in.end();
            if (degree < 2 || degree > MAX_DEGREE) {
                throw FeedException.malformed("encodedRefs degree " + degree + " is outside 2.." + MAX_DEGREE);
            }
            if (depth > MAX_DEPTH_FIELD) {
                throw FeedException.malformed("encodedRefs depth " + depth + " is beyond " + MAX_DEPTH_FIELD);
            }
            if (length == 0 || elements.isEmpty() || elements.size() > degree
                    || depthFor(length, (int) degree) != depth + 1
                    || (depth == 0 && elements.size() != length)) {
                throw FeedException.malformed("encodedRefs shape: depth " + depth + ", length " + length
                        + ", " + elements.size() + " elements");
            }
            return new Head((int) depth, (int) degree, length, elements);
        }
    }

    /** A branch object's fields. */
    record Node(long length, List<Hash> elements) {

        static Node decode(byte[] bytes) {
            SkyReader in = new SkyReader(bytes, "encodedRefsNode");
            long length = in.u32();
            List<Hash> elements = hashes(in);
            in.end();
            return new Node(length, elements);
        }
    }

    private static List<Hash> hashes(SkyReader in) {
        int n = in.count(Hash.LENGTH);
        List<Hash> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Hash.read(in));
        }
        return out;
    }

    /** What a walk over a Refs tree reports, in pre-order. */
    interface Visitor {
        void object(FeedObject object);

        void missing(Hash key);

        /** One element at the lowest level, after the object that holds it. */
        void element(Hash element);
    }

    /**
     * Walks the tree under {@code root} as far as {@code source} holds it, checking that every level
     * has the shape its parent announces. Missing objects are reported, not fatal.
     */
    static void walk(Hash root, ObjectSource source, Visitor visitor) {
        if (root.isZero()) {
            return;
        }
        byte[] bytes = source.get(root);
        if (bytes == null) {
            visitor.missing(root);
            return;
        }
        FeedObject object = new FeedObject(root, bytes);
        Head head = Head.decode(bytes);
        visitor.object(object);
        if (head.depthField() == 0) {
            head.elements().forEach(visitor::element);
            return;
        }
        walkLevel(head.elements(), head.depthField(), head.degree(), head.length(), source, visitor);
    }

    /** {@code keys} are branches at {@code level} (1 = lowest) that together hold {@code length} elements. */
    private static void walkLevel(List<Hash> keys, int level, int degree, long length, ObjectSource source,
            Visitor visitor) {
        long capacity = power(degree, level);
        long seen = 0;
        for (int i = 0; i < keys.size(); i++) {
            Hash key = keys.get(i);
            // all but the last subtree are full, so each one's length is known before it is fetched
            long expected = i < keys.size() - 1 ? capacity : length - seen;
            if (key.isZero() || expected < 1 || expected > capacity) {
                throw FeedException.malformed("encodedRefsNode " + i + " at level " + level + " should hold "
                        + expected + " of " + length + " elements");
            }
            seen += expected;
            byte[] bytes = source.get(key);
            if (bytes == null) {
                visitor.missing(key);
                continue;
            }
            FeedObject object = new FeedObject(key, bytes);
            Node node = Node.decode(bytes);
            if (node.length() != expected || node.elements().isEmpty() || node.elements().size() > degree
                    || (level == 1 && node.elements().size() != expected)) {
                throw FeedException.malformed("encodedRefsNode holds " + node.length() + "/"
                        + node.elements().size() + ", expected " + expected);
            }
            visitor.object(object);
            if (level == 1) {
                node.elements().forEach(visitor::element);
            } else {
                walkLevel(node.elements(), level - 1, degree, expected, source, visitor);
            }
        }
        if (seen != length) {
            throw FeedException.malformed("encodedRefs announces " + length + " elements, its branches hold " + seen);
        }
    }

    /** Loads a whole tree; every object must be in {@code source}. */
    public static Refs load(Hash root, ObjectSource source) {
        List<Hash> out = new ArrayList<>();
        int[] degree = {DEGREE};
        walk(root, source, new Visitor() {
            @Override
            public void object(FeedObject object) {
                if (object.key().equals(root)) {
                    degree[0] = Head.decode(object.view()).degree();
                }
            }

            @Override
            public void missing(Hash key) {
                throw FeedException.malformed("Refs object " + key.hex() + " is not held");
            }

            @Override
            public void element(Hash element) {
                out.add(element);
            }
        });
        return of(out, degree[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Refs r && r.degree == degree && r.elements.equals(elements);
    }

    @Override
    public int hashCode() {
        return elements.hashCode() * 31 + degree;
    }

    @Override
    public String toString() {
        return "Refs[" + elements.size() + " elements, " + hash().hex() + "]";
    }
}
