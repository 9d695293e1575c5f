package io.skychat.transport.tcp;

import java.net.InetSocketAddress;

import io.skychat.core.PeerKey;

/** A TCP-direct peer address, {@code tcp://<pk>@host:port}, as operators write it. */
public record TcpPeer(PeerKey key, String host, int port) {

    public static final String SCHEME = "tcp://";

    public TcpPeer {
        if (key == null || host == null || host.isBlank()) {
            throw new IllegalArgumentException("tcp-peer needs a key and a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("tcp-peer: port " + port + " is out of range");
        }
    }

    /** Parses the upstream spec; every message names the offending input, as upstream's do. */
    public static TcpPeer parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        if (!s.startsWith(SCHEME)) {
            throw new IllegalArgumentException("tcp-peer: must start with \"" + SCHEME + "\": " + s);
        }
        String rest = s.substring(SCHEME.length());
        int at = rest.indexOf('@');
        if (at <= 0 || at == rest.length() - 1) {
            throw new IllegalArgumentException("tcp-peer: missing @ separator in \"" + s + "\"");
        }
        PeerKey key;
        try {
            key = PeerKey.parse(rest.substring(0, at));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tcp-peer: invalid pk \"" + rest.substring(0, at) + "\": " + e.getMessage());
        }
        String hostPort = rest.substring(at + 1);
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("tcp-peer: invalid host:port \"" + hostPort + "\"");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tcp-peer: invalid port in \"" + hostPort + "\"");
        }
        return new TcpPeer(key, host, port);
    }

    InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return SCHEME + key + "@" + host + ":" + port;
    }
}
