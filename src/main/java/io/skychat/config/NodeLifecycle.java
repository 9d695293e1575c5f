package io.skychat.config;

import io.skychat.core.ChatService;
import io.skychat.transport.tcp.TcpTransport;
import org.springframework.context.SmartLifecycle;

/** Starts the transports once the context is ready and stops them before the beans go away. */
final class NodeLifecycle implements SmartLifecycle {

    private final TcpTransport tcp;
    private final ChatService chat;
    private volatile boolean running;

    NodeLifecycle(TcpTransport tcp, ChatService chat) {
        this.tcp = tcp;
        this.chat = chat;
    }

    @Override
    public void start() {
        chat.start();
        tcp.startNow();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
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
