package io.skychat.core;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A network in memory for core tests: nodes on one {@link Net} dial each other by key and get a pair of
 * linked {@link MemoryLink}s, both announced on {@link #links()} as a real transport announces dialled and
 * accepted links. A test can take a node off the network, refuse dials, or cut one link.
 */
final class MemoryTransport implements Transport {

    /** The nodes of one network kind, by key. */
    static final class Net {
        private final TransportKind kind;
        private final Map<PeerKey, MemoryTransport> nodes = new ConcurrentHashMap<>();

        Net(TransportKind kind) {
            this.kind = kind;
        }

        MemoryTransport join(PeerKey self) {
            MemoryTransport t = new MemoryTransport(this, self);
            nodes.put(self, t);
            return t;
        }
    }

    private final Net net;
    private final PeerKey self;
    private final Sinks.Many<ChatLink> links = Sinks.many().replay().all();
    private final Set<MemoryLink> open = ConcurrentHashMap.newKeySet();
    private volatile boolean online = true;
    private volatile Predicate<Envelope> dropWrites = e -> false;
    /** What this node's ends of its links name as their {@link ChatLink#executor()}; null for none. */
    private volatile java.util.concurrent.Executor linkExecutor;
    private final java.util.concurrent.atomic.AtomicInteger dials = new java.util.concurrent.atomic.AtomicInteger();

    private MemoryTransport(Net net, PeerKey self) {
        this.net = net;
        this.self = self;
    }

    @Override
    public TransportKind kind() {
        return net.kind;
    }

    @Override
    public Mono<ChatLink> dial(PeerKey peer, int port) {
        return Mono.defer(() -> {
            dials.incrementAndGet();
            MemoryTransport other = net.nodes.get(peer);
            if (!online || other == null || !other.online) {
                return Mono.error(TransportException.unreachable(peer, kind(), "not on the memory network", null));
            }
            MemoryLink mine = new MemoryLink(this, peer);
            MemoryLink theirs = new MemoryLink(other, self);
            mine.other = theirs;
            theirs.other = mine;
            other.announce(theirs);
            announce(mine);
            return Mono.just(mine);
        });
    }

    private synchronized void announce(MemoryLink link) {
        open.add(link);
        links.emitNext(link, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofSeconds(1)));
    }

    @Override
    public Flux<ChatLink> links() {
        return links.asFlux();
    }

    @Override
    public boolean isUp() {
        return online;
    }

    /** Takes the node off the network (every link closes, dials fail) or puts it back. */
    void online(boolean up) {
        online = up;
        if (!up) {
            open.forEach(MemoryLink::close);
        }
    }

    /** Envelopes this node writes that match are "written" but never arrive, as on a path that loses them. */
    void dropWrites(Predicate<Envelope> which) {
        dropWrites = which;
    }

    int dials() {
        return dials.get();
    }

    /** This node's links name {@code executor} as their own thread, as a Netty link names its event loop. */
    MemoryTransport finishingOn(java.util.concurrent.Executor executor) {
        this.linkExecutor = executor;
        return this;
    }

    Set<MemoryLink> openLinks() {
        return Set.copyOf(open);
    }

    /** One end of an in-memory link. */
    static final class MemoryLink implements ChatLink {
        private final MemoryTransport owner;
        private final PeerKey peer;
        private final Sinks.Many<Envelope> inbound = Sinks.many().unicast().onBackpressureBuffer();
        private final Sinks.Empty<Void> closed = Sinks.empty();
        private volatile MemoryLink other;
        private volatile boolean isOpen = true;

        MemoryLink(MemoryTransport owner, PeerKey peer) {
            this.owner = owner;
            this.peer = peer;
        }

        @Override
        public PeerKey peer() {
            return peer;
        }

        @Override
        public TransportKind kind() {
            return owner.kind();
        }

        @Override
        public Flux<Envelope> inbound() {
            return inbound.asFlux();
        }

        @Override
        public java.util.concurrent.Executor executor() {
            return owner.linkExecutor;
        }

        @Override
        public Mono<Void> send(Envelope envelope) {
            return Mono.defer(() -> {
                if (!isOpen) {
                    return Mono.error(TransportException.linkClosed(peer, kind()));
                }
                if (!owner.dropWrites.test(envelope)) {
                    other.deliver(envelope);
                }
                return Mono.empty();
            });
        }

        private synchronized void deliver(Envelope envelope) {
            if (isOpen) {
                inbound.emitNext(envelope, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofSeconds(1)));
            }
        }

        @Override
        public Mono<Void> onClose() {
            return closed.asMono();
        }

        @Override
        public boolean isOpen() {
            return isOpen;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (!isOpen) {
                    return;
                }
                isOpen = false;
                inbound.tryEmitComplete();
            }
            owner.open.remove(this);
            closed.tryEmitEmpty();
            MemoryLink o = other;
            if (o != null) {
                o.close();
            }
        }

        @Override
        public String toString() {
            return kind() + " memory link to " + peer;
        }
    }
}
