package io.skychat.feed;

import java.util.Arrays;

/**
 * One name in a tree level: either a leaf (the value inline, Sub all-zero) or an interior entry (Sub
 * = the child TreeNode's key, Leaf empty). Encoded {Name string, Sub [32], Leaf []byte}.
 */
public record TreeEntry(String name, Hash sub, byte[] leaf) {

    public TreeEntry {
        TreePath.checkSegment(name);
        if (sub == null || leaf == null) {
            throw new IllegalArgumentException("sub and leaf are required (zero / empty when unused)");
        }
        leaf = leaf.clone();
    }

    public static TreeEntry leaf(String name, byte[] value) {
        return new TreeEntry(name, Hash.ZERO, value);
    }

    public static TreeEntry branch(String name, Hash node) {
        if (node.isZero()) {
            throw new IllegalArgumentException("a branch points at a node");
        }
        return new TreeEntry(name, node, new byte[0]);
    }

    public boolean isBranch() {
        return !sub.isZero();
    }

    @Override
    public byte[] leaf() {
        return leaf.clone();
    }

    public byte[] encode() {
        SkyWriter w = new SkyWriter(4 + name.length() + 32 + 4 + leaf.length).string(name);
        sub.write(w);
        return w.bytes(leaf).toByteArray();
    }

    public FeedObject object() {
        return FeedObject.of(encode());
    }

    public static TreeEntry decode(byte[] bytes) {
        SkyReader in = new SkyReader(bytes, "TreeEntry");
        String name = in.string();
        Hash sub = Hash.read(in);
        byte[] leaf = in.bytes();
        in.end();
        if (!sub.isZero() && leaf.length > 0) {
            throw FeedException.malformed("TreeEntry '" + name + "' is a leaf and a branch at once");
        }
        try {
            return new TreeEntry(name, sub, leaf);
        } catch (IllegalArgumentException e) {
            throw FeedException.malformed("TreeEntry: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreeEntry e && e.name.equals(name) && e.sub.equals(sub) && Arrays.equals(e.leaf, leaf);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + sub.hashCode();
    }

    @Override
    public String toString() {
        return "TreeEntry[" + name + (isBranch() ? " -> " + sub.hex() : ", " + leaf.length + " bytes") + "]";
    }
}
