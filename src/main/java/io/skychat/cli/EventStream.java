package io.skychat.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Follows a long-lived stream ({@code /sse}, {@code /events}) line by line and reconnects when it ends
 * or the service goes away, waiting 1 s, 2 s, … up to 30 s between attempts (reset by a good connect).
 * Returns when the thread is interrupted; authentication and usage problems end it with their exception.
 */
final class EventStream {

    static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** Where to connect next time; asked again on every reconnect so resume headers stay current. */
    record Target(String pathAndQuery, Map<String, String> headers) {
    }

    private final ServiceClient client;
    private final Duration minBackoff;
    private final Duration maxBackoff;

    EventStream(ServiceClient client, Duration minBackoff, Duration maxBackoff) {
        this.client = client;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
    }

    void follow(Supplier<Target> target, Consumer<String> onLine, Consumer<String> onNotice) {
        follow(target, () -> { }, onLine, onNotice);
    }

    /** As above; {@code onConnected} runs each time a stream was opened. */
    void follow(Supplier<Target> target, Runnable onConnected, Consumer<String> onLine, Consumer<String> onNotice) {
        Duration delay = minBackoff;
        while (!Thread.currentThread().isInterrupted()) {
            String why;
            Target t = target.get();
            try (HttpLines lines = client.lines(t.pathAndQuery(), t.headers())) {
                delay = minBackoff;
                onConnected.run();
                String line;
                while ((line = lines.readLine()) != null) {
                    onLine.accept(line);
                }
                why = "stream closed by the service";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (CliException e) {
                if (e.exitCode() != Cli.UNREACHABLE) {
                    throw e;
                }
                why = e.getMessage();
            } catch (IOException e) {
                why = "stream broke: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            onNotice.accept(why + " (reconnecting in " + human(delay) + ")");
            try {
                Thread.sleep(delay.toMillis()); // the backoff itself: nothing to wait for but time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            delay = delay.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : delay.multipliedBy(2);
        }
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Assembles SSE lines into events: {@code id:} and {@code data:} fields, dispatched on a blank line. */
    static final class SseParser {

        record Event(String id, String data) {
        }

        private final Consumer<Event> sink;
        private String id;
        private StringBuilder data;

        SseParser(Consumer<Event> sink) {
            this.sink = sink;
        }

        void line(String line) {
            if (line.isEmpty()) {
                if (data != null) {
                    sink.accept(new Event(id, data.toString()));
                }
                id = null;
                data = null;
                return;
            }
            if (line.startsWith(":")) {
                return; // comment: ": connected", ": ping"
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                default -> {
                    // event:, retry: and unknown fields carry nothing the CLI uses
                }
            }
        }
    }
}
