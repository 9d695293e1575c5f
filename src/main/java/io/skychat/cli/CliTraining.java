package io.skychat.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The class-data archive's training run (bin/skychat runs it once per jar and JDK with
 * {@code -XX:ArchiveClassesAtExit}): the common verbs, in one JVM, against a stand-in service on loopback
 * that answers with canned bodies, so the archive holds the HTTP, JSON and DTO classes a real verb loads.
 * Nothing it does touches the user's aliases, keys or any running service; its output goes nowhere.
 */
public final class CliTraining {

    private static final String PEER = "03fe8f6dcb225fc2cc352726fe98bde6c7fec9bc7fe94539874d9717d2cea2a8e3";

    private CliTraining() {
    }

    public static void main(String[] args) throws IOException {
        CliEnv.system(); // the process environment's classes, which every real run reads
        Path config = Files.createTempDirectory("skychat-training");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> serve(server), "training-service");
            answering.setDaemon(true);
            answering.start();
            String addr = "127.0.0.1:" + server.getLocalPort();
            CliEnv env = new CliEnv(Map.of("XDG_CONFIG_HOME", config.toString()), config);
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            List<List<String>> verbs = List.of(
                    List.of("help"), List.of("status", "--help"), List.of("gen-keys"),
                    List.of("alias", "add", "bob", PEER), List.of("alias", "ls"), List.of("alias", "ls", "--json"),
                    List.of("status"), List.of("status", "--json"),
                    List.of("send", "-t", "bob", "-m", "hi", "-w", "0"), List.of("send", "-t", PEER, "-m", "hi"),
                    List.of("send", "-t", PEER, "-m", "hi", "--json"),
                    List.of("history", "--limit", "5"), List.of("history", "--peer", "bob", "--json"),
                    List.of("pair", "list"), List.of("pair", "list", "--json"), List.of("pair", "poll"),
                    List.of("alias", "rm", "bob"), List.of("status", "--addr", "127.0.0.1:9"));
            for (List<String> verb : verbs) {
                String[] argv = verb.toArray(String[]::new);
                if (!verb.contains("--addr")) {
                    argv = Stream.concat(verb.stream(), Stream.of("--addr", addr, "--token", "training"))
                            .toArray(String[]::new);
                }
                Cli.run(argv, nowhere, nowhere, env);
            }
        } finally {
            try (Stream<Path> files = Files.walk(config)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(Cli.OK);
    }

    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                String requestLine = PlainHttp.readLine(in);
                int length = 0;
                for (String line = PlainHttp.readLine(in); !line.isEmpty(); line = PlainHttp.readLine(in)) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                answer(s.getOutputStream(), requestLine, body);
            } catch (IOException | RuntimeException e) {
                // a verb that gave up early, or the end of the run: the next one connects afresh
            }
        }
    }

    private static void answer(OutputStream out, String requestLine, String requestBody) throws IOException {
        String path = requestLine.split(" ")[1];
        String json;
        int status = 200;
        if (path.startsWith("/status")) {
            json = "{\"visor_pk\":\"" + PEER + "\",\"sse_subscribers\":1,\"active_peer_conns\":1,\"peers\":[\"" + PEER
                    + "\"],\"persistence_enabled\":true,\"pairing_enabled\":false,\"frame_proto_version\":1,"
                    + "\"schema_version\":\"1\",\"app_uptime_sec\":3671,\"inbound_msg_count\":2,\"outbound_msg_count\":3,"
                    + "\"last_rx_ts\":\"2026-01-01T00:00:00Z\",\"groups\":[],\"networks\":[]}";
        } else if (path.startsWith("/message")) {
            json = requestBody.contains("wait_ms")
                    ? "{\"acked\":true,\"id\":\"8077ca12ee05c806\",\"ms\":12,\"network\":\"tcp-direct\",\"status\":\"received\"}"
                    : "{\"id\":\"8077ca12ee05c806\",\"network\":\"tcp-direct\",\"status\":\"queued\"}";
            status = requestBody.contains("wait_ms") ? 200 : 202;
        } else if (path.startsWith("/history")) {
            json = "[{\"peer\":\"" + PEER + "\",\"from\":\"" + PEER + "\",\"outgoing\":false,\"text\":\"hi\","
                    + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"id\":\"8077ca12ee05c806\"}]";
        } else if (path.startsWith("/pair/inbox")) {
            json = "[{\"peer_pk\":\"" + PEER + "\",\"text\":\"hi\",\"ts\":\"2026-01-01T00:00:00Z\"}]";
        } else if (path.startsWith("/pair")) {
            json = "[{\"peer_pk\":\"" + PEER + "\",\"status\":\"paired\",\"port\":44,\"last_message_at\":null}]";
        } else {
            status = 404;
            json = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}";
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(bytes);
        out.write(b.toByteArray());
        out.flush();
    }
}
