package io.skychat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestOriginFilterTests {

    private static final java.util.Set<String> HOSTS = new java.util.HashSet<>(AccessSettings.LOOPBACK_HOSTS);

    static {
        HOSTS.addAll(Set.of("192.168.1.5", "chat.example", "pinned.example:8443", "::1"));
    }

    private final RequestOriginFilter filter = new RequestOriginFilter(
            new AccessSettings("t".repeat(64), null, HOSTS, Set.of("https://UI.example:443/"), 1024), null);

    @ParameterizedTest
    @CsvSource({
            "localhost, true", "localhost:8001, true", "LOCALHOST., true", "127.0.0.1:1, true", "[::1]:8001, true",
            "192.168.1.5:8001, true", "chat.example, true", "pinned.example:8443, true", "10.0.0.7:8001, true",
            "pinned.example:80, false", "pinned.example, false", "evil.example, false", "localhost.evil.example, false",
            "127.0.0.1.nip.io, false", "localhost:99999, false", "localhost:, false", "[::1, false", "'', false",
            "a b, false", "user@localhost, false", "::1, true"})
    void hostAllowList(String host, boolean allowed) {
        // 10.0.0.7 is the address this connection arrived on
        assertThat(filter.hostAllowed(host, new InetSocketAddress("10.0.0.7", 8001))).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:8001, 127.0.0.1:8001, true", "http://localhost:8001, localhost:8001, true",
            "http://LOCALHOST:8001/, localhost:8001, true", "http://chat.example, chat.example:80, true",
            "https://ui.example, localhost:8001, true", "https://ui.example:444, localhost:8001, false",
            "http://ui.example, localhost:8001, false", "http://localhost:8002, localhost:8001, false",
            "https://127.0.0.1:8001, 127.0.0.1:8001, false", "http://evil.example, localhost:8001, false",
            "null, localhost:8001, false", "http://127.0.0.1:8001/path, 127.0.0.1:8001, false",
            "'', localhost:8001, false", "file://, localhost:8001, false"})
    void originCheck(String origin, String host, boolean allowed) {
        assertThat(filter.originAllowed(origin, host, "http")).isEqualTo(allowed);
    }
}
