package io.skychat.transport.visor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.skychat.core.ByteStream;
import io.skychat.core.ChatLink;
import io.skychat.transport.codec.ChatStreamLink;
import io.skychat.core.PeerKey;
import io.skychat.core.StreamNetwork;
import io.skychat.core.Transport;
import io.skychat.core.TransportException;
import io.skychat.core.TransportKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A network reached through the visor's app server: Dial for outbound links, a loop of Accept calls on
 * the chat listener for inbound ones, started again on every new attachment. skynet and the visor's dmsg
 * differ only in the net type they name. Other ports ({@link #listen}, {@link #dialStream}) carry plain byte
 * streams the same way; their listeners are opened again on every attachment.
 */
public abstract class AppNetTransport implements Transport, StreamNetwork, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AppNetTransport.class);
    private static final Duration EMIT_PATIENCE = Duration.ofMillis(200);

    private final VisorSession session;
    private final TransportKind kind;
    private final String net;
    private final AppNetStats stats;
    // Links are few and long-lived; if nobody consumes them something is badly wrong, so fail loudly.
    private final Sinks.Many<ChatLink> links = Sinks.many().multicast().onBackpressureBuffer(256, false);
    private final Disposable.Composite loops = Disposables.composite();
    private final Map<Integer, Boolean> listening = new ConcurrentHashMap<>();

    AppNetTransport(VisorSession session, TransportKind kind, String net, AppNetStats stats) {
        this.session = session;
        this.kind = kind;
        this.net = net;
        this.stats = stats;
    }

    @Override
    public TransportKind kind() {
        return kind;
    }

    public AppNetStats stats() {
        return stats;
    }

    /** Accepts on every attachment from now on (the current one included). */
    public void start() {
        loops.add(session.attachments().subscribe(this::acceptLoop));
    }

    private void acceptLoop(VisorSession.Attachment attachment) {
        Integer listener = attachment.listeners().get(net);
        if (listener == null) {
            return;
        }
        AppRpcClient rpc = attachment.rpc();
        loops.add(Mono.defer(() -> rpc.call(AppCall.ACCEPT, listener, null))
                .repeat(rpc::isOpen)
                .subscribe(accepted -> {
                    AppAddr remote = accepted.remote();
                    ChatLink link = chatLink(new AppNetByteStream(rpc, accepted.connId(), remote.pubKey(), CHAT_PORT, kind));
                    stats.accepted.incrementAndGet();
                    publish(link, "accepted");
                }, e -> log.debug("{} accept loop ended: {}", kind, e.getMessage())));
    }

    @Override
    public Mono<ChatLink> dial(PeerKey peer, int port) {
        return stream(peer, port).map(s -> {
            ChatLink link = chatLink(s);
            stats.dialled.incrementAndGet();
            return publish(link, "dialled");
        });
    }

    /** The chat codec over a visor connection; a frame it refuses closes the connection and is counted. */
    private ChatLink chatLink(AppNetByteStream stream) {
        return new ChatStreamLink(stream, why -> {
            stats.chatFramesRejected.incrementAndGet();
            stream.protocolError(why);
        });
    }

    @Override
    public Mono<ByteStream> dialStream(PeerKey peer, int port) {
        return stream(peer, port).cast(ByteStream.class);
    }

    /**
     * Listens on {@code port} on this network on every attachment (Listen, then Accept in a loop), handing
     * out the streams peers open. Cancelling stops it for later attachments; the visor forgets the listener
     * with the attachment.
     */
    @Override
    public Flux<ByteStream> listen(int port) {
        if (port == CHAT_PORT) {
            return Flux.error(new IllegalArgumentException("port " + CHAT_PORT + " is chat's: take chat links from links()"));
        }
        return Flux.defer(() -> {
            if (listening.putIfAbsent(port, Boolean.TRUE) != null) {
                return Flux.error(new IllegalStateException(kind + " port " + port + " already has a listener"));
            }
            return session.attachments()
                    .switchMap(a -> {
                        AppRpcClient rpc = a.rpc();
                        return rpc.call(AppCall.LISTEN, new AppAddr(net, session.settings().visorPk(), port))
                                .doOnNext(id -> log.info("{} listening on port {} (visor listener {})", kind, port, id))
                                .flatMapMany(id -> Mono.defer(() -> rpc.call(AppCall.ACCEPT, id, null)).repeat(rpc::isOpen))
                                .<ByteStream>map(accepted -> {
                                    stats.accepted.incrementAndGet();
                                    return new AppNetByteStream(rpc, accepted.connId(), accepted.remote().pubKey(), port, kind);
                                })
                                .onErrorResume(e -> {
                                    log.info("{} listener on port {} ended: {}", kind, port, e.getMessage());
                                    return Mono.empty();
                                });
                    })
                    .doFinally(sig -> listening.remove(port));
        });
    }

    private Mono<AppNetByteStream> stream(PeerKey peer, int port) {
        return Mono.defer(() -> {
            VisorSession.Attachment a = session.current();
            if (a == null) {
                stats.dialFailures.incrementAndGet();
                return Mono.error(TransportException.unreachable(peer, kind, "not attached to the visor", null));
            }
            return a.rpc().call(AppCall.DIAL, new AppAddr(net, peer, port), session.settings().dialTimeout())
                    .onErrorMap(e -> {
                        stats.dialFailures.incrementAndGet();
                        return TransportException.unreachable(peer, kind, e.getMessage(), e);
                    })
                    .map(resp -> new AppNetByteStream(a.rpc(), resp.connId(), peer, port, kind));
        });
    }

    private ChatLink publish(ChatLink link, String how) {
        try {
            // Accept and Dial replies arrive on the event loop while other threads dial: wait out another
            // emitter rather than fail with FAIL_NON_SERIALIZED and lose a healthy link.
            links.emitNext(link, Sinks.EmitFailureHandler.busyLooping(EMIT_PATIENCE));
        } catch (Sinks.EmissionException e) {
            link.close();
            throw TransportException.linkClosed(link.peer(), kind);
        }
        log.info("{} {} {}", kind, how, link);
        return link;
    }

    @Override
    public Flux<ChatLink> links() {
        return links.asFlux();
    }

    /** Up while attached to the visor with a chat listener on this network. */
    @Override
    public boolean isUp() {
        VisorSession.Attachment a = session.current();
        return a != null && a.listeners().containsKey(net);
    }

    public VisorSession session() {
        return session;
    }

    @Override
    public void close() {
        loops.dispose();
        links.tryEmitComplete();
    }
}
