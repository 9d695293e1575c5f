package io.skychat.config;

import java.time.Duration;

import io.skychat.core.ChatService;
import io.skychat.store.SqliteMessageStore;
import io.skychat.transport.tcp.TcpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;

/**
 * Starts the node once the context is ready (links, the outbox resuming, housekeeping) and stops it after
 * the web server has drained: links close, then the store flushes as its bean is destroyed.
 */
final class NodeLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeLifecycle.class);
    static final Duration EXPIRY_CHECK = Duration.ofMinutes(1);

    private final TcpTransport tcp;
    private final ChatService chat;
    private final SqliteMessageStore store;
    private final Duration sweepInterval;
    private final Disposable.Composite housekeeping = Disposables.composite();
    private volatile boolean running;

    NodeLifecycle(TcpTransport tcp, ChatService chat, SqliteMessageStore store, Duration sweepInterval) {
        this.tcp = tcp;
        this.chat = chat;
        this.store = store;
        this.sweepInterval = sweepInterval;
    }

    @Override
    public void start() {
        chat.start();
        tcp.startNow();
        housekeeping.add(Flux.interval(sweepInterval).onBackpressureDrop()
                .concatMap(i -> store.sweep().onErrorResume(e -> {
                    log.warn("history sweep failed: {}", e.getMessage());
                    return reactor.core.publisher.Mono.empty();
                }))
                .subscribe(n -> {
                    if (n > 0) {
                        log.info("history sweep removed {} message(s) past their TTL", n);
                    }
                }));
        housekeeping.add(Flux.interval(EXPIRY_CHECK).onBackpressureDrop()
                .concatMap(i -> chat.outbox().expire().onErrorResume(e -> reactor.core.publisher.Mono.empty()))
                .subscribe());
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        housekeeping.dispose();
        tcp.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server's own phase ends shutdown, so in-flight requests finish before links close. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
