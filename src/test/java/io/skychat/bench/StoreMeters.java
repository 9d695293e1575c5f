package io.skychat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A node's group-commit meters as {@code /actuator/prometheus} shows them. */
record StoreMeters(long commits, long units, long checkpoints) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static StoreMeters read(int managementPort) {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return new StoreMeters(value(text, "skychat_store_commits_total"), value(text, "skychat_store_units_total"),
                    value(text, "skychat_store_checkpoints_total"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long value(String prometheus, String name) {
        return prometheus.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> (long) Double.parseDouble(l.substring(name.length() + 1).strip()))
                .orElseThrow(() -> new IllegalStateException(name + " missing from /actuator/prometheus"));
    }
}
