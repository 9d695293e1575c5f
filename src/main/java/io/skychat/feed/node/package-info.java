/**
 * The CXO node over any byte stream, with no sockets: {@link io.skychat.feed.node.NodeConnection} is the
 * per-connection protocol (handshake, seq/rseq, requests), {@link io.skychat.feed.node.FeedNode} owns the
 * feeds it publishes and follows (allowlists, root pushes, bounded fills, heartbeat). Transports hand it
 * authenticated {@link io.skychat.feed.node.NodeLink}s.
 */
package io.skychat.feed.node;
