package io.skychat.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An authenticated, ordered, bidirectional byte stream to one peer on one port, as a relay network (dmsg,
 * skynet) hands it out. The remote key is the one the network's handshake proved.
 *
 * <p>Reads are reactive and back-pressured: the network lets the peer send more only as the subscriber asks
 * for more chunks, so a slow reader slows the writer instead of filling memory. Chunk boundaries carry no
 * meaning. Writes are applied in the order they were subscribed to and complete once handed to the network.
 * A stream stays open until either side closes it; {@link #close} is never implied by a completed read.
 */
public interface ByteStream {

    PeerKey peer();

    /** The port this stream was opened to (the listening side's port). */
    int port();

    TransportKind kind();

    /**
     * The bytes the peer sends, in order, in any chunking. Subscribe once. Completes when the peer closes
     * its side, errors when the stream breaks (it is then closed).
     */
    Flux<byte[]> inbound();

    /** Writes {@code bytes} after every earlier write; completes when handed to the network. */
    Mono<Void> write(byte[] bytes);

    /** Completes when the stream is closed, from either side. */
    Mono<Void> onClose();

    boolean isOpen();

    void close();
}
