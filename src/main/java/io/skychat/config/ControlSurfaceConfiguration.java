package io.skychat.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.skychat.api.AccessSettings;
import io.skychat.api.ApiTokenFile;
import io.skychat.api.HttpConnectionCap;
import io.skychat.api.HttpStats;
import io.skychat.api.PasswordFile;
import io.skychat.api.SlowClientTimeouts;
import io.skychat.api.StreamSlots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Who may call the control surface, from where, how much a client may send, and how many connections and
 * streams it holds; see docs/security.md.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ControlSurfaceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ControlSurfaceConfiguration.class);

    /** Reads (or on first start creates) the token file; a file others can read stops the start-up. */
    @Bean
    AccessSettings accessSettings(SkychatProperties props, Environment env) {
        SkychatProperties.Auth auth = props.auth();
        String address = env.getProperty("server.address", "127.0.0.1");
        String token = null;
        String passwordHash = null;
        if (auth.disabled()) {
            log.warn("AUTHENTICATION IS OFF (--no-auth): anyone who can reach {} may read and send messages as "
                    + "this node{}", address, auth.passwordFile() != null ? "; --password-file is ignored" : "");
        } else {
            Path tokenFile = tokenFile(props);
            token = ApiTokenFile.readOrCreate(tokenFile);
            log.info("control surface requires the bearer token in {}", tokenFile.toAbsolutePath());
            if (auth.passwordFile() != null) {
                passwordHash = PasswordFile.read(auth.passwordFile());
                log.info("control surface also accepts HTTP Basic with the password in {}", auth.passwordFile());
            }
        }
        List<String> hosts = new ArrayList<>(AccessSettings.LOOPBACK_HOSTS);
        if (!isWildcard(address)) {
            hosts.add(address);
        }
        hosts.addAll(nonBlank(props.security().allowedHosts()));
        return new AccessSettings(token, passwordHash, hosts.stream().collect(java.util.stream.Collectors.toSet()),
                new java.util.HashSet<>(nonBlank(props.security().allowedOrigins())),
                props.limits().maxBodySize().toBytes());
    }

    static Path tokenFile(SkychatProperties props) {
        Path configured = props.auth().tokenFile();
        return configured != null ? configured : props.workDir().resolve(ApiTokenFile.DEFAULT_NAME);
    }

    @Bean
    NettyServerCustomizer slowClientTimeouts(SkychatProperties props) {
        return SlowClientTimeouts.of(props.limits().readTimeout(), props.limits().requestTimeout());
    }

    /** Measured once at start: what the process may still open decides the connection and stream caps. */
    @Bean
    DescriptorBudget descriptorBudget(SkychatProperties props) {
        DescriptorBudget budget = DescriptorBudget.measureNow(props.limits());
        log.info("control surface caps: {}", budget.describe());
        if (budget.maxStreams() >= budget.maxConnections()) {
            log.warn("--max-streams {} is not below --max-connections {}: streams can take every connection and "
                    + "leave none for /status or POST /message", budget.maxStreams(), budget.maxConnections());
        }
        return budget;
    }

    @Bean
    HttpStats httpStats() {
        return new HttpStats();
    }

    @Bean
    StreamSlots streamSlots(DescriptorBudget budget, HttpStats stats) {
        return new StreamSlots(budget.maxStreams(), stats);
    }

    @Bean
    NettyServerCustomizer httpConnectionCap(DescriptorBudget budget, HttpStats stats) {
        return HttpConnectionCap.of(budget.maxConnections(), stats);
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")
                || address.equals("0:0:0:0:0:0:0:0");
    }

    private static List<String> nonBlank(List<String> values) {
        return values.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::strip)
                .filter(v -> !v.isEmpty()).toList();
    }
}
