package io.skychat.transport.visor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import io.skychat.core.PeerKey;
import io.skychat.pair.PairMessage;
import io.skychat.pairs.PairFeeds;
import io.skychat.pairs.PairRecord;
import io.skychat.pairs.PairText;
import io.skychat.pairs.PairsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Pair feeds run by the visor (upstream's visor-hosted pairing): the visor owns the pair records, publishers and
 * subscribers, and this node drives them through the visor's pair RPC ({@code --pair-rpc}, Go net/rpc with gob),
 * calling {@code PairAdd} before inviting and on accepting, {@code PairMarkActive} on the peer's ack,
 * {@code PairSend} to publish and {@code PairRemove} to end a pair, as upstream's app does.
 *
 * <p>Inbound messages: the visor keeps them in a ring (1,024 upstream) that {@code PairPoll} reads. One poller
 * reads it every {@code pollInterval} for all pairs, strictly after the newest timestamp seen, and hands each
 * active pair its messages; ids are derived from the sender's timestamp and the text, so a message read twice
 * (after a restart here the poll starts from what the visor still keeps) is recorded once.
 *
 * <p>The connection is dialled on first use and again after it broke (upstream's app redials once on a shut-down
 * client); a call that still fails answers {@code pair-visor} (502).
 */
public final class VisorPairFeeds implements PairFeeds {

    private static final Logger log = LoggerFactory.getLogger(VisorPairFeeds.class);

    private final InetSocketAddress address;
    private final Duration callTimeout;
    private final Duration pollInterval;
    private final Scheduler timers;
    private final AtomicReference<Mono<AppRpcClient>> client = new AtomicReference<>();
    private final Map<PeerKey, Polled> open = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> since = new AtomicReference<>();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong pollFailures = new AtomicLong();
    private final AtomicLong unpaired = new AtomicLong();
    private volatile Disposable poller;
    private volatile boolean closed;

    public VisorPairFeeds(InetSocketAddress address, Duration callTimeout, Duration pollInterval, Scheduler timers) {
        this.address = address;
        this.callTimeout = callTimeout;
        this.pollInterval = pollInterval;
        this.timers = timers;
    }

    /**
     * Whether the visor at {@code address} runs pairs: its {@code PairList} answers. A visor without pairing (an
     * older one: no such method; or its pair manager is not up) or none listening gives the reason instead.
     */
    public static Optional<String> refusal(InetSocketAddress address, Duration timeout) {
        try {
            AppRpcClient c = AppRpcClient.connect(address, AppCall.VISOR_SERVICE, null, timeout, timeout)
                    .block(timeout.plusSeconds(1));
            try {
                c.call(VisorPairCalls.PAIR_LIST, Empty.INSTANCE).block(timeout.plusSeconds(1));
                return Optional.empty();
            } finally {
                c.close();
            }
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public String name() {
        return "visor";
    }

    /** Upstream's app registers the pair with its visor before the invite goes out. */
    @Override
    public Mono<Void> invited(PeerKey peer) {
        return call(VisorPairCalls.PAIR_ADD, peer).then();
    }

    @Override
    public Mono<Void> confirmed(PeerKey peer) {
        return call(VisorPairCalls.PAIR_MARK_ACTIVE, peer).then();
    }

    /** {@code PairAdd} is idempotent: at accept it is the first call, at the ack and at start-up a no-op. */
    @Override
    public Mono<Feed> open(PairRecord record, Inbound inbound) {
        return call(VisorPairCalls.PAIR_ADD, record.peer()).thenReturn(new Polled(record.peer(), inbound));
    }

    @Override
    public Mono<Void> removed(PeerKey peer) {
        return call(VisorPairCalls.PAIR_REMOVE, peer).then();
    }

    @Override
    public void close() {
        closed = true;
        Disposable p = poller;
        if (p != null) {
            p.dispose();
        }
        Mono<AppRpcClient> c = client.getAndSet(null);
        if (c != null) {
            c.subscribe(AppRpcClient::close, e -> { });
        }
    }

    /** Polls of the visor's inbox made, and failed. */
    public long polls() {
        return polls.get();
    }

    public long pollFailures() {
        return pollFailures.get();
    }

    /** Messages in the visor's inbox from peers not (or no longer) paired here: not shown. */
    public long unpaired() {
        return unpaired.get();
    }

    private final class Polled implements Feed {
        final PeerKey peer;
        final Inbound inbound;

        Polled(PeerKey peer, Inbound inbound) {
            this.peer = peer;
            this.inbound = inbound;
        }

        @Override
        public void start() {
            open.put(peer, this);
            startPolling();
        }

        @Override
        public Mono<Void> publish(PairMessage message) {
            if (!message.isChat()) {
                return Mono.error(new IllegalStateException("the visor's pair RPC carries chat messages only"));
            }
            return call(VisorPairCalls.PAIR_SEND, new VisorPairCalls.Send(peer, message.text())).then();
        }

        @Override
        public boolean retracts() {
            return false;
        }

        @Override
        public void close() {
            open.remove(peer, this);
        }
    }

    private synchronized void startPolling() {
        if (poller != null || closed) {
            return;
        }
        poller = Flux.interval(Duration.ZERO, pollInterval, timers)
                .onBackpressureDrop()
                .concatMap(tick -> pollOnce(), 1)
                .subscribe();
    }

    /** One read of the visor's inbox; a failure is counted and the next tick tries again. */
    Mono<Void> pollOnce() {
        return call(VisorPairCalls.PAIR_POLL, Optional.ofNullable(since.get()))
                .flatMap(this::dispatch)
                .doOnSuccess(v -> polls.incrementAndGet())
                .onErrorResume(e -> {
                    pollFailures.incrementAndGet();
                    log.debug("polling the visor's pair inbox failed: {}", e.getMessage());
                    return Mono.empty();
                });
    }

    private Mono<Void> dispatch(List<VisorPairCalls.Message> messages) {
        Map<PeerKey, List<PairText>> byPeer = new LinkedHashMap<>();
        Instant newest = since.get();
        for (VisorPairCalls.Message m : messages) {
            if (newest == null || m.ts().isAfter(newest)) {
                newest = m.ts();
            }
            if (!open.containsKey(m.peer())) {
                unpaired.incrementAndGet();
                continue;
            }
            byPeer.computeIfAbsent(m.peer(), k -> new ArrayList<>())
                    .add(new PairText(m.peer(), idOf(m), false, m.text(), m.ts()));
        }
        Instant next = newest;
        return Flux.fromIterable(byPeer.entrySet())
                .concatMap(e -> {
                    Polled p = open.get(e.getKey());
                    return p == null ? Mono.empty() : p.inbound.deliver(e.getKey(), e.getValue(), List.of());
                })
                .then(Mono.fromRunnable(() -> since.set(next)));
    }

    /** {@code <ts unixnano>-v<crc32 of the text>}: the visor gives no id, and a message read twice keeps its id. */
    static String idOf(VisorPairCalls.Message m) {
        CRC32 crc = new CRC32();
        crc.update(m.text().getBytes(StandardCharsets.UTF_8));
        long nanos = m.ts().getEpochSecond() * 1_000_000_000L + m.ts().getNano();
        return nanos + "-v" + Long.toHexString(crc.getValue());
    }

    private <A, R> Mono<R> call(AppCall<A, R> call, A args) {
        return Mono.defer(() -> connection().flatMap(c -> c.call(call, args)))
                .onErrorResume(e -> e instanceof AppRpcException a && !a.visorAnswered() && !closed, e -> {
                    forget();
                    return connection().flatMap(c -> c.call(call, args)); // one redial, as upstream's app
                })
                .onErrorMap(e -> !(e instanceof PairsException), e -> PairsException.visor(call.method(),
                        String.valueOf(e.getMessage())));
    }

    private Mono<AppRpcClient> connection() {
        if (closed) {
            return Mono.error(new IllegalStateException("stopped"));
        }
        Mono<AppRpcClient> c = client.get();
        if (c == null) {
            Mono<AppRpcClient> fresh = AppRpcClient.connect(address, AppCall.VISOR_SERVICE, null, callTimeout, callTimeout)
                    .cache(ok -> Duration.ofMillis(Long.MAX_VALUE), e -> Duration.ZERO, () -> Duration.ZERO);
            c = client.compareAndSet(null, fresh) ? fresh : client.get();
        }
        return c == null ? connection() : c.flatMap(rpc -> {
            if (rpc.isOpen()) {
                return Mono.just(rpc);
            }
            forget();
            return Mono.error(AppRpcException.disconnected("connect", rpc.reason()));
        });
    }

    private void forget() {
        Mono<AppRpcClient> c = client.getAndSet(null);
        if (c != null) {
            c.subscribe(AppRpcClient::close, e -> { });
        }
    }
}
