package io.skychat.feed;

import java.util.List;

/**
 * Tree store paths (upstream {@code treestore/path.go}): '/'-separated, no escaping, one trailing '/'
 * tolerated; "" and "/" name the root (no segments).
 */
final class TreePath {

    private TreePath() {
    }

    static List<String> split(String path) {
        if (path == null) {
            throw FeedException.badPath("null", "is missing");
        }
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.isEmpty()) {
            return List.of();
        }
        List<String> segments = List.of(p.split("/", -1));
        for (String s : segments) {
            if (s.isEmpty()) {
                throw FeedException.badPath(path, "has an empty segment");
            }
        }
        return segments;
    }

    /** A path naming a leaf: at least one segment. */
    static List<String> leaf(String path) {
        List<String> segments = split(path);
        if (segments.isEmpty()) {
            throw FeedException.badPath(path, "names the root, not a leaf");
        }
        return segments;
    }

    static void checkSegment(String name) {
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a tree entry name is a non-empty segment without '/': " + name);
        }
    }
}
