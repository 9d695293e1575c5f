/**
 * CXO feeds as upstream skywire's {@code pkg/cxo} defines them, with no I/O: the skycoin binary encoder,
 * content-addressed objects and Refs Merkle trees, the treestore schemas and registry, signed Roots and
 * the path → bytes tree store a publisher signs. Checked byte for byte against upstream's vectors.
 */
package io.skychat.feed;
