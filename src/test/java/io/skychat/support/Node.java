package io.skychat.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.skychat.SkychatApplication;
import io.skychat.config.CommandLineFlags;
import io.skychat.transport.tcp.TcpTransport;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A whole skychat service in this JVM, started from upstream-style flags on ephemeral loopback ports. */
public final class Node implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private Node(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static Node start(String... flags) {
        List<String> all = new ArrayList<>(List.of("--addr", "127.0.0.1:0", "--management-addr", "127.0.0.1:0"));
        all.addAll(List.of(flags));
        String[] args = CommandLineFlags.toSpringArguments(all.toArray(String[]::new));
        return new Node(new SpringApplicationBuilder(SkychatApplication.class).run(args));
    }

    public int httpPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public int managementPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
    }

    public int tcpPort() {
        return context.getBean(TcpTransport.class).boundAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort();
    }

    public WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl(baseUrl()).responseTimeout(Duration.ofSeconds(30)).build();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
