package io.skychat.transport.visor;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * This node's attachment to its visor: one app server connection shared by skynet and the visor's dmsg.
 * Attaching is upstream skychat's start-up: (RegisterApp when the visor did not start us,) Hello, Listen on
 * chat port 1 for each network, SetAppPort(1), SetDetailedStatus("Running"). A lost attachment is made
 * again with backoff (1 s → 30 s) for as long as the node runs; each new one is announced on
 * {@link #attachments()} so the networks listen and accept again.
 */
public final class VisorSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VisorSession.class);
    static final String RUNNING = "Running";
    static final String STOPPED = "Stopped";
    private static final Duration EMIT_PATIENCE = Duration.ofMillis(200);

    /** One live app server connection and the listener id of each network on it. */
    public record Attachment(AppRpcClient rpc, Map<String, Integer> listeners) {
        public Attachment {
            listeners = Map.copyOf(listeners);
        }
    }

    private final VisorSettings settings;
    private final VisorStats stats;
    private final Sinks.Many<Attachment> attachments = Sinks.many().replay().latest();
    private volatile Attachment current;
    private volatile ProcKey procKey;
    private volatile Disposable loop;
    private volatile boolean stopping;

    public VisorSession(VisorSettings settings, VisorStats stats) {
        this.settings = settings;
        this.stats = stats;
        this.procKey = settings.procConfig().procKey();
    }

    private String visorRpcAddress() {
        return VisorSettings.describe(settings.visorRpc());
    }

    private String appServer() {
        return VisorSettings.describe(settings.appServer());
    }

    public VisorSettings settings() {
        return settings;
    }

    public VisorStats stats() {
        return stats;
    }

    /** Starts attaching in the background; the node runs (and queues messages) while the visor is away. */
    public void start() {
        loop = Flux.defer(this::attachOnce)
                .flatMap(a -> Flux.concat(Mono.just(a), a.rpc().onClose().then(Mono.defer(() -> {
                    current = null;
                    if (stopping) {
                        return Mono.empty();
                    }
                    stats.dropped.incrementAndGet();
                    log.warn("lost the visor at {} ({}); re-attaching", appServer(), a.rpc().reason());
                    return Mono.error(AppRpcException.disconnected("attachment", a.rpc().reason()));
                }))))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, settings.backoffMin())
                        .maxBackoff(settings.backoffMax())
                        .transientErrors(true)
                        .filter(e -> !stopping)
                        .doBeforeRetry(s -> log.info("visor at {} not attached: {} (retrying)", appServer(),
                                s.failure().getMessage())))
                .subscribe(a -> {
                    current = a;
                    attachments.emitNext(a, Sinks.EmitFailureHandler.busyLooping(EMIT_PATIENCE));
                }, e -> log.error("gave up attaching to the visor", e));
    }

    /** Every attachment, the current one first (replayed to a late subscriber). */
    public Flux<Attachment> attachments() {
        return attachments.asFlux();
    }

    /** The live attachment, or null while the visor is away. */
    public Attachment current() {
        Attachment a = current;
        return a != null && a.rpc().isOpen() ? a : null;
    }

    public boolean isAttached() {
        return current() != null;
    }

    private Mono<Attachment> attachOnce() {
        return register()
                .flatMap(key -> AppRpcClient.connect(settings.appServer(), key.hex(), Hello.of(key),
                        settings.callTimeout(), settings.callTimeout()))
                .flatMap(rpc -> listenAll(rpc)
                        .flatMap(listeners -> rpc.call(AppCall.SET_APP_PORT, io.skychat.core.Transport.CHAT_PORT)
                                .then(rpc.call(AppCall.SET_DETAILED_STATUS, RUNNING))
                                .thenReturn(new Attachment(rpc, listeners)))
                        .onErrorResume(e -> fatal(rpc, e))
                        .doOnError(e -> rpc.close()))
                .doOnNext(a -> {
                    stats.attached.incrementAndGet();
                    log.info("attached to the visor at {} as {}: chat listening on {} port {}", appServer(),
                            settings.visorPk(), String.join(" and ", a.listeners().keySet()),
                            io.skychat.core.Transport.CHAT_PORT);
                })
                .doOnError(e -> stats.attachFailures.incrementAndGet());
    }

    /**
     * The visor refused part of the start-up (a port already bound, say): as upstream skychat, tell it with
     * SetError so the operator sees why, then try again later.
     */
    private static Mono<Attachment> fatal(AppRpcClient rpc, Throwable e) {
        if (!(e instanceof AppRpcException a) || !a.visorAnswered()) {
            return Mono.error(e);
        }
        return rpc.call(AppCall.SET_ERROR, e.getMessage()).onErrorResume(x -> Mono.empty()).then(Mono.error(e));
    }

    private Mono<Map<String, Integer>> listenAll(AppRpcClient rpc) {
        return Flux.fromIterable(settings.networks())
                .concatMap(net -> rpc.call(AppCall.LISTEN, new AppAddr(net, settings.visorPk(),
                        io.skychat.core.Transport.CHAT_PORT)).map(id -> Map.entry(net, id)))
                .collect(LinkedHashMap<String, Integer>::new, (m, e) -> m.put(e.getKey(), e.getValue()))
                .map(m -> (Map<String, Integer>) m);
    }

    /**
     * The proc key for the Hello. Beside the visor, each attempt registers again, since a restarted visor has
     * forgotten us; a visor that still knows the key refuses the repeat, and the key stays good.
     */
    private Mono<ProcKey> register() {
        if (!settings.registers()) {
            return Mono.just(procKey);
        }
        ProcConfig config = settings.procConfig();
        return visorRpc(rpc -> rpc.call(AppCall.REGISTER_APP, config))
                .doOnNext(key -> {
                    procKey = key;
                    log.info("registered with the visor's RPC at {} as app '{}'", visorRpcAddress(), config.appName());
                })
                .onErrorResume(AppRpcException.class, e -> {
                    if (!e.visorAnswered()) {
                        return Mono.error(e);
                    }
                    log.info("visor RPC at {}: {}; attaching with the key we have", visorRpcAddress(), e.getMessage());
                    return Mono.just(procKey);
                });
    }

    private <R> Mono<R> visorRpc(java.util.function.Function<AppRpcClient, Mono<R>> call) {
        return Mono.usingWhen(AppRpcClient.connect(settings.visorRpc(), AppCall.VISOR_SERVICE, null,
                        settings.callTimeout(), settings.callTimeout()),
                call, rpc -> Mono.fromRunnable(rpc::close));
    }

    /**
     * Shutdown as upstream's: SetDetailedStatus("Stopped"), close the listeners, drop the connection; beside
     * the visor also DeregisterApp, so the app name and proc key are free again.
     */
    public Mono<Void> stop() {
        return Mono.defer(() -> {
            stopping = true;
            Disposable l = loop;
            Attachment a = current();
            if (l != null) {
                l.dispose();
            }
            Mono<Void> goodbye = Mono.empty();
            if (a != null) {
                goodbye = a.rpc().call(AppCall.SET_DETAILED_STATUS, STOPPED).then()
                        .thenMany(Flux.fromIterable(a.listeners().values())
                                .concatMap(id -> a.rpc().call(AppCall.CLOSE_LISTENER, id)))
                        .then()
                        .onErrorResume(e -> {
                            log.debug("visor goodbye incomplete: {}", e.getMessage());
                            return Mono.empty();
                        })
                        .doFinally(s -> a.rpc().close());
            }
            if (settings.registers()) {
                goodbye = goodbye.then(visorRpc(rpc -> rpc.call(AppCall.DEREGISTER_APP, procKey)).then()
                        .onErrorResume(e -> {
                            log.warn("could not deregister from the visor RPC at {}: {}", visorRpcAddress(),
                                    e.getMessage());
                            return Mono.empty();
                        }));
            }
            return goodbye.doFinally(s -> attachments.tryEmitComplete());
        });
    }

    @Override
    public void close() {
        stop().block(settings.callTimeout().multipliedBy(2));
    }
}
