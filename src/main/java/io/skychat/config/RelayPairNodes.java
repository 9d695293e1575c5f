package io.skychat.config;

import java.util.List;

import io.skychat.core.PeerKey;
import io.skychat.feed.node.FeedNode;
import io.skychat.pairs.PairNodes;
import io.skychat.store.SqliteFeedStore;
import io.skychat.transport.cxo.CxoStreams;

/**
 * Pair feed nodes over the relay networks (upstream's topology): each pair's node has our identity key and its
 * own store scope, listens on the pair port on every relay network this node runs, and keeps a stream to the
 * peer's pair port on the first of them ({@link RelayFeeds}).
 */
final class RelayPairNodes implements PairNodes {

    private final RelayFeeds relays;

    RelayPairNodes(RelayFeeds relays) {
        if (relays.networks().isEmpty()) {
            throw new IllegalArgumentException("pairing (--pair-enable) needs a relay network for the pair feeds: "
                    + "add --dmsg (or run under a visor)");
        }
        this.relays = relays;
    }

    @Override
    public PairNode open(PeerKey peer, int port) {
        FeedNode node = relays.startNode((db, clock) -> SqliteFeedStore.forPair(db, clock, peer));
        return new Opened(node, port, relays.listen(node, port, List.of(peer)));
    }

    private record Opened(FeedNode node, int port, List<CxoStreams> links) implements PairNode {
        @Override
        public void close() {
            links.forEach(CxoStreams::close);
            node.close();
        }
    }
}
