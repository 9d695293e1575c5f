package io.skychat.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A network that carries chat links between public keys: TCP-direct, dmsg, skynet. Connections are
 * addressed by public key and port (chat uses {@link #CHAT_PORT}); how a key is reached is the
 * adapter's business.
 */
public interface Transport {

    /** The port the chat app listens on over dmsg and skynet. */
    int CHAT_PORT = 1;

    TransportKind kind();

    /**
     * Opens an authenticated link to {@code peer:port}. Fails with {@link TransportException} when the
     * peer cannot be reached; never returns an unauthenticated link.
     */
    Mono<ChatLink> dial(PeerKey peer, int port);

    /**
     * Every link this transport establishes, inbound and outbound, as it completes its handshake. Hot;
     * the chat service subscribes once.
     */
    Flux<ChatLink> links();

    /**
     * Whether this transport knows a way to {@code peer} at all (a relay network always does; TCP-direct
     * only for configured addresses). A message to a key nobody could ever reach is refused, not queued.
     */
    default boolean canReach(PeerKey peer) {
        return true;
    }

    /** Why {@link #canReach} said no, for the user. */
    default String whyUnreachable(PeerKey peer) {
        return "no route";
    }

    /** Whether the transport is able to carry traffic right now (for health and status). */
    boolean isUp();
}
