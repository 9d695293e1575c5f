package io.skychat.transport.visor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.skychat.core.PeerKey;

/**
 * How this node attaches to its visor, copied out of Spring properties at the edge.
 *
 * @param appServer   the visor's app server ({@code app_server_addr}, launcher {@code server_addr})
 * @param visorPk     the visor's key: the chat identity, and the local address of every Listen
 * @param procConfig  what identifies this process: the visor's {@code PROC_CONFIG}, or the config we register
 * @param visorRpc    the visor's CLI RPC address to register at ({@code app-visor.RegisterApp}); null when the
 *                    visor started us and already knows the proc key
 * @param networks    the net types to listen on for chat ({@code skynet}, {@code dmsg})
 * @param callTimeout deadline of every call except the blocking Accept and Read
 * @param dialTimeout deadline of Dial (a skynet route can take a while to set up)
 */
public record VisorSettings(InetSocketAddress appServer, PeerKey visorPk, ProcConfig procConfig,
        InetSocketAddress visorRpc, List<String> networks, Duration callTimeout, Duration dialTimeout,
        Duration backoffMin, Duration backoffMax) {

    public VisorSettings {
        Objects.requireNonNull(appServer, "appServer");
        Objects.requireNonNull(visorPk, "visorPk");
        Objects.requireNonNull(procConfig, "procConfig");
        networks = List.copyOf(networks);
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("visor mode needs at least one of --skynet and --dmsg");
        }
    }

    /** Whether this node registers itself (attached beside the visor) rather than being the visor's child. */
    public boolean registers() {
        return visorRpc != null;
    }

    /** {@code host:port}, as operators write it (an unresolved address prints oddly otherwise). */
    public static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /** {@code host:port} as Go dials it. */
    public static InetSocketAddress parseAddress(String hostPort, String what) {
        String s = hostPort == null ? "" : hostPort.strip();
        int colon = s.lastIndexOf(':');
        if (colon < 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not host:port");
        }
        String host = colon == 0 ? "localhost" : s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + s + "' has no port number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + ": port " + port + " is out of range");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
