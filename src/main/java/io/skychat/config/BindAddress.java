package io.skychat.config;

import java.net.InetSocketAddress;

/**
 * Upstream's {@code --addr} rules: {@code :P} binds loopback, {@code *:P} all interfaces, {@code host:P}
 * as given. Binding beyond loopback therefore always takes an explicit choice.
 */
public record BindAddress(String host, int port) {

    public BindAddress {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
    }

    public static BindAddress parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        int colon = s.lastIndexOf(':');
        if (colon < 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("address \"" + s + "\" must look like :PORT, *:PORT or HOST:PORT");
        }
        String host = s.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address \"" + s + "\" has a bad port");
        }
        if (host.isEmpty()) {
            host = "127.0.0.1";
        } else if (host.equals("*")) {
            host = "0.0.0.0";
        } else if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new BindAddress(host, port);
    }

    public boolean isLoopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
