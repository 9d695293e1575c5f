package io.skychat.feed.node;

import io.skychat.core.HandOffExecutor;

/**
 * The feed node's own thread: event loops hand it every frame without ever parking (see
 * {@link HandOffExecutor}). Signatures, hashing and tree walks run here, one task at a time, in order.
 */
public final class NodeExecutor extends HandOffExecutor {

    public NodeExecutor(String name) {
        super(name, 1, Integer.MAX_VALUE, "the feed node");
    }
}
