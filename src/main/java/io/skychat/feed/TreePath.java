package io.skychat.feed;

import java.util.List;

/** Tree store paths (upstream {@code treestore/path.go}): '/'-separated, no escaping, one trailing '/' tolerated. */
final class TreePath {

    private TreePath() {
    }

    static List<String> split(String path) {
        if (path == null || path.isEmpty()) {
            throw FeedException.badPath(String.valueOf(path), "is empty");
        }
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.isEmpty()) {
            throw FeedException.badPath(path, "is empty");
        }
        List<String> segments = List.of(p.split("/", -1));
        for (String s : segments) {
            if (s.isEmpty()) {
                throw FeedException.badPath(path, "has an empty segment");
            }
        }
        return segments;
    }

    static void checkSegment(String name) {
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a tree entry name is a non-empty segment without '/': " + name);
        }
    }
}
