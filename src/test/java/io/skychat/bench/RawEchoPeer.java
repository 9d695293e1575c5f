package io.skychat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.skychat.core.Envelope;
import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;

/**
 * The other end of the raw baseline, in its own JVM: listens on loopback, answers Noise XK, and answers every
 * {@code chat-msg} that asks for it with a {@code chat-ack}, with no store and no HTTP in between: what the
 * wire and the crypto cost by themselves on this machine. Prints {@code raw-echo <port> <public key>} once
 * listening and exits when its standard input closes (its parent went away).
 */
public final class RawEchoPeer {

    private static final String READY = "raw-echo ";

    public static void main(String[] args) throws IOException {
        KeyPair identity = KeyPair.generate();
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing to read but the end
                }
            } catch (IOException ignored) {
                // the parent is gone either way
            }
            System.exit(0);
        }, "raw-echo-stdin");
        watchdog.setDaemon(true);
        watchdog.start();
        System.out.println(READY + server.getLocalPort() + " " + identity.publicKey().hex());
        System.out.flush();
        while (true) {
            Socket socket = server.accept();
            Thread t = new Thread(() -> echo(socket, identity), "raw-echo-" + socket.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private static void echo(Socket socket, KeyPair identity) {
        try (NoiseFramedPeer peer = NoiseFramedPeer.accept(socket, identity)) {
            while (true) {
                if (peer.receive() instanceof Envelope.ChatMsg msg && msg.ack()) {
                    peer.send(new Envelope.ChatAck(msg.id()));
                }
            }
        } catch (IOException e) {
            // the tool closed the connection: this peer is done
        }
    }

    /** Starts the echo peer as a child JVM on the current class path and waits until it listens. */
    static Handle start() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RawEchoPeer.class.getName()));
        Process process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith(READY)) {
            // logging from the child's libraries, if any
        }
        if (line == null) {
            process.destroyForcibly();
            throw new IOException("raw echo peer exited before listening: " + cmd);
        }
        String[] parts = line.substring(READY.length()).split(" ");
        return new Handle(process, new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(parts[0])),
                PeerKey.parse(parts[1]));
    }

    /** The running child: where it listens and the key it answers Noise with. */
    record Handle(Process process, InetSocketAddress address, PeerKey key) implements AutoCloseable {
        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
