package io.skychat.feed.node;

import io.skychat.core.PeerKey;

/**
 * One leaf of a followed feed that is new or changed in the Root {@code seq}: {@code path} → {@code value}.
 * A subscription emits the leaves of each filled Root in path order (byte order); {@code lastOfRoot} marks
 * the last one of that Root, so {@code flux.bufferUntil(FeedLeaf::lastOfRoot)} yields one batch per Root.
 */
public record FeedLeaf(PeerKey feed, long seq, String path, byte[] value, boolean lastOfRoot) {

    public FeedLeaf {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public String text() {
        return new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeedLeaf l && l.feed.equals(feed) && l.seq == seq && l.path.equals(path)
                && l.lastOfRoot == lastOfRoot && java.util.Arrays.equals(l.value, value);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return "FeedLeaf[" + feed + "/" + seq + " " + path + ", " + value.length + " bytes]";
    }
}
