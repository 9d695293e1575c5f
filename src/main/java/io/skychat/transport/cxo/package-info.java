/**
 * CXO over TCP (upstream {@code pkg/cxo/node/transport/noise_tcp.go}): Noise XX, then node frames inside
 * Noise transport frames, handed to a {@link io.skychat.feed.node.FeedNode} as authenticated links.
 */
package io.skychat.transport.cxo;
