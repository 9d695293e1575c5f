package io.skychat.transport.cxo;

import java.net.InetSocketAddress;

import io.skychat.core.PeerKey;
import io.skychat.transport.tcp.TcpPeer;

/** A CXO peer to keep a connection to, {@code tcp://<pk>@host:port} (upstream's {@code --cxo-peer}). */
public record CxoPeer(PeerKey key, String host, int port) {

    public CxoPeer {
        if (key == null || host == null || host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("cxo-peer needs a key, a host and a port in 1..65535");
        }
    }

    /** Same form and checks as {@code --tcp-peer}; messages name the flag they came from. */
    public static CxoPeer parse(String spec) {
        try {
            TcpPeer p = TcpPeer.parse(spec);
            return new CxoPeer(p.key(), p.host(), p.port());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^tcp-peer", "cxo-peer"), e);
        }
    }

    InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return TcpPeer.SCHEME + key + "@" + host + ":" + port;
    }
}
