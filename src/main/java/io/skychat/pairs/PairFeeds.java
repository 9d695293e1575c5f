package io.skychat.pairs;

import java.util.List;
import java.util.Optional;

import io.skychat.core.PeerKey;
import io.skychat.feed.node.FeedNode;
import io.skychat.pair.PairMessage;
import reactor.core.publisher.Mono;

/**
 * The feed side of pairs, under the consent handshake that {@link PairService} runs: who publishes our messages
 * to the peer and follows the peer's. Either this service's own feed nodes ({@link LocalPairFeeds}) or, under a
 * visor that runs pairs itself, the visor's, driven through its pair RPC.
 *
 * <p>The hooks follow upstream's app: {@link #invited} before the invite goes out (upstream calls
 * {@code PairAdd} then), {@link #confirmed} when the peer's {@code pair-ack} arrives ({@code PairMarkActive}),
 * {@link #open} for every active pair (at accept, at the ack, at start-up), {@link #removed} after the pair's
 * feed closed ({@code PairRemove}).
 */
public interface PairFeeds extends AutoCloseable {

    /** {@code local} or {@code visor}: reported in {@code /status} and the start-up log. */
    String name();

    /** We are about to invite the peer. */
    default Mono<Void> invited(PeerKey peer) {
        return Mono.empty();
    }

    /** The peer acknowledged our invite; {@link #open} follows. */
    default Mono<Void> confirmed(PeerKey peer) {
        return Mono.empty();
    }

    /** Brings up the feeds of an active pair; what the peer publishes arrives through {@code inbound}. */
    Mono<Feed> open(PairRecord record, Inbound inbound);

    /** The pair was removed here; its feed is closed already. */
    default Mono<Void> removed(PeerKey peer) {
        return Mono.empty();
    }

    @Override
    default void close() {
    }

    /** One active pair's feeds. */
    interface Feed {

        /** Starts following the peer: called once, when this is the pair's one feed (an extra one is closed unstarted). */
        void start();

        /** Publishes one of our messages (a chat message or, when {@link #retracts}, a retraction). */
        Mono<Void> publish(PairMessage message);

        /** Whether {@link #publish} can carry a retraction of one of our messages. */
        default boolean retracts() {
            return true;
        }

        /** The ratchet generation of our side (0 where the feeds are not ours to see). */
        default long generation() {
            return 0;
        }

        /** Our feed node for the pair, where this service runs it. */
        default Optional<FeedNode> node() {
            return Optional.empty();
        }

        /** Stops publishing and following; the pair's record is not touched. */
        void close();
    }

    /** Where a pair's inbound messages go: recorded, counted and pushed by {@link PairService}. */
    @FunctionalInterface
    interface Inbound {

        /** The peer's new messages in feed order, and the ids of its messages it retracted. */
        Mono<Void> deliver(PeerKey peer, List<PairText> texts, List<String> retracted);
    }
}
