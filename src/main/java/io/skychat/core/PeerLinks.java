package io.skychat.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * One cached link per (network, peer), reused in both directions: a link the peer opened to us is the one
 * we answer on. The newest link for a peer supersedes the previous one, as upstream does; concurrent
 * sends to a peer with no link share one dial.
 */
public final class PeerLinks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerLinks.class);

    record Key(TransportKind kind, PeerKey peer) {
    }

    private final Map<TransportKind, Transport> transports;
    private final Map<Key, ChatLink> active = new ConcurrentHashMap<>();
    private final Map<Key, Mono<ChatLink>> dialing = new ConcurrentHashMap<>();
    private final Disposable.Composite subscriptions = Disposables.composite();

    public PeerLinks(List<Transport> transports) {
        this.transports = new java.util.EnumMap<>(TransportKind.class);
        transports.forEach(t -> this.transports.put(t.kind(), t));
    }

    /** Starts taking links from every transport; {@code onNewLink} is called once per link, before it is used. */
    public void start(Consumer<ChatLink> onNewLink) {
        for (Transport t : transports.values()) {
            subscriptions.add(t.links().subscribe(link -> {
                register(link);
                onNewLink.accept(link);
            }, e -> log.error("{} stopped delivering links", t.kind(), e)));
        }
    }

    public boolean isEnabled(TransportKind kind) {
        return transports.containsKey(kind);
    }

    public Transport transport(TransportKind kind) {
        return transports.get(kind);
    }

    public java.util.Collection<Transport> transports() {
        return transports.values();
    }

    /** The open link to {@code peer}, dialling one if there is none. */
    public Mono<ChatLink> linkTo(TransportKind kind, PeerKey peer) {
        Transport transport = transports.get(kind);
        if (transport == null) {
            return Mono.error(TransportException.notEnabled(kind));
        }
        return Mono.defer(() -> {
            Key key = new Key(kind, peer);
            ChatLink cached = active.get(key);
            if (cached != null && cached.isOpen()) {
                return Mono.just(cached);
            }
            return dialing.computeIfAbsent(key, k -> transport.dial(peer, Transport.CHAT_PORT)
                    .doFinally(s -> dialing.remove(k))
                    .cache());
        });
    }

    /** Whether a message to {@code peer} over {@code kind} could ever be delivered. */
    public boolean canReach(TransportKind kind, PeerKey peer) {
        Transport t = transports.get(kind);
        return t != null && (openLink(kind, peer) != null || t.canReach(peer));
    }

    public String whyUnreachable(TransportKind kind, PeerKey peer) {
        Transport t = transports.get(kind);
        return t == null ? "network " + kind + " is not enabled" : t.whyUnreachable(peer);
    }

    /** The open link to {@code peer} over {@code kind}, if any, without dialling. */
    public ChatLink openLink(TransportKind kind, PeerKey peer) {
        ChatLink link = active.get(new Key(kind, peer));
        return link != null && link.isOpen() ? link : null;
    }

    /** Whether any network has an open link to {@code peer}. */
    public boolean hasOpenLink(PeerKey peer) {
        for (TransportKind kind : transports.keySet()) {
            if (openLink(kind, peer) != null) {
                return true;
            }
        }
        return false;
    }

    /** Drops a link that failed a write, so the next send dials afresh. */
    public void evict(ChatLink link) {
        active.remove(new Key(link.kind(), link.peer()), link);
        link.close();
    }

    public int size() {
        int n = 0;
        for (ChatLink link : active.values()) {
            if (link.isOpen()) {
                n++;
            }
        }
        return n;
    }

    /** Keys with an open link, sorted, each once (a peer may be linked over several networks). */
    public List<PeerKey> peers() {
        java.util.TreeSet<PeerKey> keys = new java.util.TreeSet<>();
        for (ChatLink link : active.values()) {
            if (link.isOpen()) {
                keys.add(link.peer());
            }
        }
        return List.copyOf(keys);
    }

    public long count(TransportKind kind) {
        long n = 0;
        for (Map.Entry<Key, ChatLink> e : active.entrySet()) {
            if (e.getKey().kind() == kind && e.getValue().isOpen()) {
                n++;
            }
        }
        return n;
    }

    private void register(ChatLink link) {
        Key key = new Key(link.kind(), link.peer());
        ChatLink previous = active.put(key, link);
        if (previous != null && previous != link) {
            log.debug("{} link to {} superseded by a newer one", link.kind(), link.peer());
        }
        link.onClose().subscribe(null, e -> active.remove(key, link), () -> active.remove(key, link));
    }

    @Override
    public void close() {
        subscriptions.dispose();
        active.values().stream().filter(Objects::nonNull).forEach(ChatLink::close);
        active.clear();
    }
}
