package io.skychat.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A relay network that carries byte streams between public keys, addressed by (key, port): dmsg standalone,
 * dmsg and skynet through the visor. Chat is one protocol on top (port {@link Transport#CHAT_PORT}); CXO
 * feeds are another ({@link #CXO_PORT}).
 */
public interface StreamNetwork {

    /** The port feed nodes listen on over dmsg (upstream's {@code skyenv.DmsgCXOPort}). */
    int CXO_PORT = 50;

    TransportKind kind();

    /**
     * Opens an authenticated stream to {@code peer:port}. Fails with {@link TransportException} when the peer
     * cannot be reached or nobody listens on that port there.
     */
    Mono<ByteStream> dialStream(PeerKey peer, int port);

    /**
     * Starts listening on {@code port} and returns the streams peers open to it, as each completes its
     * handshake. Hot; one listener per port: a second call for the same port fails. Cancelling stops
     * listening, and later streams to the port are refused.
     */
    Flux<ByteStream> listen(int port);

    /** Whether the network can carry streams right now. */
    boolean isUp();
}
