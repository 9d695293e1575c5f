package io.skychat.transport.dmsg;

import java.net.InetSocketAddress;

import io.skychat.core.PeerKey;

/** A dmsg server to keep a session with: its key (pinned in the XK handshake) and TCP address. */
public record DmsgServerAddress(PeerKey key, String host, int port) {

    public DmsgServerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("dmsg server host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("dmsg server port " + port + " is outside 1..65535");
        }
    }

    /** {@code <pk>@host:port}, the form of {@code --dmsg-server}; the message is fit to show a user. */
    public static DmsgServerAddress parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        int at = s.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("dmsg-server \"" + s + "\": expected <pk>@host:port");
        }
        PeerKey pk;
        try {
            pk = PeerKey.parse(s.substring(0, at));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dmsg-server \"" + s + "\": " + e.getMessage());
        }
        return fromEntry(pk, s.substring(at + 1));
    }

    /** A server entry's {@code address} field, {@code host:port} or {@code [v6]:port}. */
    static DmsgServerAddress fromEntry(PeerKey pk, String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("dmsg server address \"" + address + "\": expected host:port");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dmsg server address \"" + address + "\": port is not a number");
        }
        return new DmsgServerAddress(pk, host, port);
    }

    InetSocketAddress socketAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return key + "@" + host + ":" + port;
    }
}
