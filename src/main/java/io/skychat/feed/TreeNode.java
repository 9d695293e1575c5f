package io.skychat.feed;

/**
 * One level of a tree store: upstream {@code TreeNode{Children Refs}}, which encodes to the 32-byte hash
 * of its Children Refs (all-zero for an empty level). The Refs elements are TreeEntry keys in name order.
 */
public record TreeNode(Hash children) {

    public static final TreeNode EMPTY = new TreeNode(Hash.ZERO);

    public TreeNode {
        if (children == null) {
            throw new IllegalArgumentException("children is required (zero when empty)");
        }
    }

    public static TreeNode of(Refs children) {
        return new TreeNode(children.hash());
    }

    public byte[] encode() {
        return children.bytes();
    }

    public FeedObject object() {
        return FeedObject.of(encode());
    }

    public static TreeNode decode(byte[] bytes) {
        if (bytes.length != Hash.LENGTH) {
            throw FeedException.malformed("TreeNode is " + bytes.length + " bytes, not " + Hash.LENGTH);
        }
        return new TreeNode(new Hash(bytes));
    }
}
