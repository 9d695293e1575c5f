package io.skychat.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** An authenticated, bidirectional chat connection to one peer. Writes on a link are serialized. */
public interface ChatLink {

    PeerKey peer();

    TransportKind kind();

    /**
     * The envelopes the peer sends, in order. Subscribe once. Completes when the link closes and errors
     * when the peer breaks the protocol (the link is then closed).
     */
    Flux<Envelope> inbound();

    /** Writes one envelope; completes when it was handed to the network. */
    Mono<Void> send(Envelope envelope);

    /**
     * The thread (a Netty event loop) this link's writes run on, where the chat service finishes each stored
     * message (events, the ack) rather than on the store thread; null to finish wherever the store answers.
     * Single-threaded and FIFO, so what the store answers in order is finished in order.
     */
    default java.util.concurrent.Executor executor() {
        return null;
    }

    /** Completes when the link is closed, from either side. */
    Mono<Void> onClose();

    boolean isOpen();

    void close();
}
