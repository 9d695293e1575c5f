package io.skychat.transport.cxo;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.skychat.core.ByteStream;
import io.skychat.core.PeerKey;
import io.skychat.core.StreamNetwork;
import io.skychat.feed.node.FeedNode;
import io.skychat.feed.node.NodeLink;
import io.skychat.feed.wire.NodeFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * CXO over a relay network's byte streams (upstream {@code pkg/cxo/node/transport/dmsg.go}): the node listens
 * on a port of the network (50 by default) and dials peers' feed nodes on it. The network's own handshake
 * (Noise KK on dmsg) authenticates the remote key; node frames travel as plain stream bytes, reassembled by
 * the node. Peers in {@code keepUp} are redialled with backoff whenever their stream ends.
 */
public final class CxoStreams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CxoStreams.class);

    private final StreamNetwork network;
    private final FeedNode node;
    private final int port;
    private final List<PeerKey> keepUp;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger dialled = new AtomicInteger();
    private final Set<ByteStream> live = ConcurrentHashMap.newKeySet();
    private final Disposable.Composite loops = Disposables.composite();

    public CxoStreams(StreamNetwork network, FeedNode node, int port, List<PeerKey> keepUp, Duration backoffMin,
                      Duration backoffMax) {
        this.network = network;
        this.node = node;
        this.port = port;
        this.keepUp = List.copyOf(keepUp);
        this.backoffMin = backoffMin;
        this.backoffMax = backoffMax;
    }

    /** Listens on the port and starts the kept-up peers; returns at once. */
    public CxoStreams startNow() {
        loops.add(network.listen(port).subscribe(stream -> {
            accepted.incrementAndGet();
            open(stream, false);
        }, e -> log.warn("cxo over {} stopped listening on port {}: {}", network.kind(), port, e.toString())));
        for (PeerKey peer : keepUp) {
            loops.add(keepUp(peer));
        }
        log.info("cxo over {} on port {} as {}{}", network.kind(), port, node.id(),
                keepUp.isEmpty() ? "" : ", keeping up " + keepUp);
        return this;
    }

    public StreamNetwork network() {
        return network;
    }

    public int port() {
        return port;
    }

    /** Streams open now, both directions. */
    public int connections() {
        return live.size();
    }

    public int acceptedCount() {
        return accepted.get();
    }

    public int dialledCount() {
        return dialled.get();
    }

    /** One stream to {@code peer}'s feed node; completes once the node has it. */
    public Mono<ByteStream> dial(PeerKey peer) {
        return network.dialStream(peer, port).doOnNext(stream -> {
            dialled.incrementAndGet();
            open(stream, true);
        });
    }

    private void open(ByteStream stream, boolean dialer) {
        NodeLink.Inbound in = node.attach(new Link(stream, dialer));
        live.add(stream);
        stream.onClose().subscribe(null, e -> closed(stream, in), () -> closed(stream, in));
        stream.inbound().subscribe(in::bytes, e -> stream.close(), stream::close);
        log.info("cxo over {} {} {}", network.kind(), dialer ? "dialled" : "accepted", stream.peer());
    }

    private void closed(ByteStream stream, NodeLink.Inbound in) {
        if (live.remove(stream)) {
            in.closed();
        }
    }

    private Disposable keepUp(PeerKey peer) {
        // while the peer's own dial to us is the live connection, there is nothing to dial
        return Flux.defer(() -> node.connectedPeers().contains(peer)
                        ? Mono.<ByteStream>error(new IllegalStateException("already connected"))
                        : dial(peer))
                .flatMap(stream -> Flux.concat(Mono.just(stream), stream.onClose()
                        .then(Mono.error(() -> new IllegalStateException("stream closed")))))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, backoffMin)
                        .maxBackoff(backoffMax)
                        .transientErrors(true)
                        .doBeforeRetry(s -> log.info("cxo-peer {}://{}: {} (retrying)", network.kind(), peer,
                                s.failure().getMessage())))
                .subscribe(null, e -> log.warn("cxo-peer {}://{} gave up: {}", network.kind(), peer, e.toString()));
    }

    /** Stops redialling and listening, closes every stream. */
    @Override
    public void close() {
        loops.dispose();
        live.forEach(ByteStream::close);
    }

    /** The node's view of one stream; the stream keeps writes in the order the node sends them. */
    private static final class Link implements NodeLink {
        private final ByteStream stream;
        private final boolean dialer;

        Link(ByteStream stream, boolean dialer) {
            this.stream = stream;
            this.dialer = dialer;
        }

        @Override
        public PeerKey peer() {
            return stream.peer();
        }

        @Override
        public boolean dialer() {
            return dialer;
        }

        @Override
        public void send(NodeFrame frame) {
            if (stream.isOpen()) {
                stream.write(frame.wire()).subscribe(null, e -> stream.close());
            }
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
