package io.skychat.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.skychat.SkychatApplication;
import io.skychat.api.ApiTokenFile;
import io.skychat.config.CommandLineFlags;
import io.skychat.transport.tcp.TcpTransport;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A whole skychat service in this JVM, started from upstream-style flags on ephemeral loopback ports. Its
 * clients authenticate the way a local client does: with the token the node wrote into its work dir.
 */
public final class Node implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final String token;

    private Node(ConfigurableApplicationContext context, String token) {
        this.context = context;
        this.token = token;
    }

    /** Starts a node whose state lives in {@code workDir} (pass a JUnit {@code @TempDir}). */
    public static Node start(Path workDir, String... flags) {
        return start(workDir, java.util.Map.of(), flags);
    }

    /**
     * As {@link #start(Path, String...)} with {@code env} as the process environment would be seen (for
     * {@code PROC_CONFIG}): the values sit below every other property source, as real environment
     * variables would not, but no test sets both.
     */
    public static Node start(Path workDir, java.util.Map<String, String> env, String... flags) {
        List<String> all = new ArrayList<>(List.of("--addr", "127.0.0.1:0", "--management-addr", "127.0.0.1:0",
                "--work-dir", workDir.toString()));
        all.addAll(List.of(flags));
        String[] args = CommandLineFlags.toSpringArguments(all.toArray(String[]::new));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SkychatApplication.class)
                .properties(new java.util.HashMap<String, Object>(env))
                .initializers(Node::ownEventLoops).run(args);
        return new Node(context, readToken(workDir, all));
    }

    /**
     * Boot's default shares Reactor Netty's global event loops and disposes them when a context closes, which
     * would take down every other node (and client) in this JVM; each node gets its own loops instead.
     */
    private static void ownEventLoops(ConfigurableApplicationContext context) {
        ((GenericApplicationContext) context).registerBean(ReactorResourceFactory.class, () -> {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            factory.setShutdownQuietPeriod(Duration.ZERO);
            return factory;
        });
    }

    /** The token a client finds: {@code --api-token-file} if given, else {@code <work-dir>/api.token}; none with --no-auth. */
    private static String readToken(Path workDir, List<String> flags) {
        if (flags.contains("--no-auth") || flags.contains("--no-auth=true")) {
            return null;
        }
        Path file = workDir.resolve(ApiTokenFile.DEFAULT_NAME);
        int i = flags.indexOf("--api-token-file");
        if (i >= 0) {
            file = Path.of(flags.get(i + 1));
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String token() {
        return token;
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

    /** A test client that sends this node's bearer token. */
    public WebTestClient http() {
        WebTestClient.Builder b = anonymousHttp().mutate();
        if (token != null) {
            b.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return b.build();
    }

    /** A test client that sends no credentials. */
    public WebTestClient anonymousHttp() {
        return WebTestClient.bindToServer().baseUrl(baseUrl()).responseTimeout(Duration.ofSeconds(30)).build();
    }

    /** A reactive client (for streams such as /sse) that sends this node's bearer token. */
    public WebClient webClient() {
        WebClient.Builder b = WebClient.builder().baseUrl(baseUrl());
        if (token != null) {
            b.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return b.build();
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The types of every bean in the node's context, for tests that check what is not there. */
    public List<Class<?>> beanTypes() {
        List<Class<?>> types = new ArrayList<>();
        for (String name : context.getBeanDefinitionNames()) {
            Class<?> type = context.getType(name);
            if (type != null) {
                types.add(type);
            }
        }
        return types;
    }

    /** The class names of the singletons the node has created so far (a lazy bean is not among them until used). */
    public List<String> createdSingletonTypes() {
        List<String> types = new ArrayList<>();
        var factory = context.getBeanFactory();
        for (String name : factory.getSingletonNames()) {
            Object singleton = factory.getSingleton(name);
            if (singleton != null) {
                types.add(singleton.getClass().getName());
            }
        }
        return types;
    }

    @Override
    public void close() {
        context.close();
    }
}
