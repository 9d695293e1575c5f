package io.skychat.groups;

import java.util.Set;

import io.skychat.core.ByteStream;
import io.skychat.core.PeerKey;
import io.skychat.feed.node.FeedNode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where a group's feed node and its admission streams come from (upstream's D1 topology): one node per open
 * group, bound to our identity key, with its own store, listening on the group's port on every relay network.
 */
public interface GroupNodes {

    /** Starts the feed node of group {@code groupId} on {@code port} and returns at once. */
    GroupNode open(String groupId, int port);

    /** Streams peers open to {@code port} on any relay network (hot; cancelling stops listening). */
    Flux<ByteStream> listen(int port);

    /** One stream to {@code peer:port}, on the first relay network that reaches it. */
    Mono<ByteStream> dial(PeerKey peer, int port);

    /** One group's node and the links that carry it. */
    interface GroupNode extends AutoCloseable {

        FeedNode node();

        int port();

        /** Replaces the peers whose nodes are dialled and redialled while this node is open. */
        void keepUp(Set<PeerKey> peers);

        @Override
        void close();
    }
}
