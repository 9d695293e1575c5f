package io.skychat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.skychat.core.ChatLink;
import io.skychat.core.Envelope;
import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.core.TransportException;
import io.skychat.crypto.KeyPair;
import io.skychat.transport.tcp.TcpPeer;
import io.skychat.transport.tcp.TcpSettings;
import io.skychat.transport.tcp.TcpStats;
import io.skychat.transport.tcp.TcpTransport;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code send --via tcp://<pk>@host:port}: dials the peer's chat app over TCP-direct with the CLI's own key
 * and waits for its {@code chat-ack}, so a message gets through while the local service or visor is down.
 */
final class DirectSend {

    private static final Duration DIAL_LIMIT = Duration.ofSeconds(25);

    private final Call call;

    DirectSend(Call call) {
        this.call = call;
    }

    int send(String via, PeerKey to, String message, Duration wait) throws Exception {
        TcpPeer peer;
        try {
            peer = TcpPeer.parse(via);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--via: " + e.getMessage());
        }
        if (to != null && !to.equals(peer.key())) {
            throw CliException.usage("-t " + to + " and --via " + peer.key() + " name different peers");
        }
        KeyPair identity = identity();
        ExecutorService crypto = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "skychat-cli-crypto");
            t.setDaemon(true);
            return t;
        });
        TcpTransport transport = new TcpTransport(identity, TcpSettings.of(null, List.of(peer), Set.of()), crypto,
                new TcpStats());
        ChatLink link = null;
        try {
            try {
                link = transport.dial(peer.key(), 1).block(DIAL_LIMIT);
            } catch (TransportException e) {
                throw CliException.failed("cannot dial " + peer + ": " + e.getMessage());
            } catch (IllegalStateException e) {
                throw CliException.failed("cannot dial " + peer + ": timed out");
            }
            if (link == null) {
                throw CliException.failed("cannot dial " + peer + ": no link");
            }
            MessageId id = MessageId.random();
            // Subscribed before the write, so an ack that comes back at once is not missed.
            CompletableFuture<Envelope.ChatAck> ack = link.inbound()
                    .ofType(Envelope.ChatAck.class)
                    .filter(a -> a.id().equals(id))
                    .next()
                    .toFuture();
            long started = System.nanoTime();
            link.send(new Envelope.ChatMsg(id, message, true, null)).block(Duration.ofSeconds(10));
            if (wait.isZero()) {
                print(id, peer.key(), null);
                return Cli.OK;
            }
            try {
                ack.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                call.err().println("send to " + peer.key() + " via tcp-direct not acked: timeout (id=" + id + ")");
                return Cli.FAILED;
            } catch (ExecutionException e) {
                call.err().println("send to " + peer.key() + " via tcp-direct not acked: link closed (id=" + id + ")");
                return Cli.FAILED;
            }
            print(id, peer.key(), (System.nanoTime() - started) / 1_000_000);
            return Cli.OK;
        } finally {
            if (link != null) {
                link.close();
            }
            transport.close();
            crypto.shutdownNow();
            identity.destroy();
        }
    }

    private void print(MessageId id, PeerKey to, Long ms) {
        if (call.json()) {
            StringBuilder b = new StringBuilder("{");
            if (ms != null) {
                b.append("\"acked\":true,");
            }
            b.append("\"id\":\"").append(id).append('"');
            if (ms != null) {
                b.append(",\"ms\":").append(ms);
            }
            b.append(",\"network\":\"tcp-direct\"}");
            call.out().println(b);
        } else if (ms == null) {
            call.out().println("Message sent to " + to + " via tcp-direct");
        } else {
            call.out().println("Acked by " + to + " in " + ms + "ms (id=" + id + ")");
        }
    }

    /** Upstream's order: {@code --sk}, env {@code DMSGCURL_SK}, {@code -c} config's sk, else an ephemeral key. */
    private KeyPair identity() {
        Args args = call.args();
        try {
            if (args.get("sk") != null) {
                return KeyPair.fromSecretHex(args.get("sk"));
            }
            String env = call.env().get("DMSGCURL_SK");
            if (env != null) {
                return KeyPair.fromSecretHex(env);
            }
            if (args.get("config") != null) {
                return KeyPair.fromSecretHex(skFrom(call.env().workingDirectory().resolve(args.get("config"))));
            }
        } catch (IllegalArgumentException e) {
            throw CliException.usage("identity: " + e.getMessage());
        }
        KeyPair ephemeral = KeyPair.generate();
        call.note("warning: no --sk, DMSGCURL_SK or -c given; dialling with the ephemeral key " + ephemeral.publicKey()
                + " (a peer with a whitelist will refuse it)");
        return ephemeral;
    }

    private static String skFrom(Path file) {
        try {
            JsonNode sk = Json.MAPPER.readTree(Files.readString(file)).get("sk");
            if (sk == null || !sk.isString() || sk.asString().isBlank()) {
                throw CliException.usage("-c " + file + ": has no sk field");
            }
            return sk.asString();
        } catch (IOException e) {
            throw CliException.usage("-c " + file + ": cannot read: " + e.getMessage());
        } catch (JacksonException e) {
            throw CliException.usage("-c " + file + ": not JSON: " + e.getOriginalMessage());
        }
    }
}
