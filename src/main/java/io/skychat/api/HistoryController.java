package io.skychat.api;

import java.time.format.DateTimeFormatter;
import java.util.List;

import io.skychat.api.dto.HistoryEntry;
import io.skychat.core.HistoryStore;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.core.StoredMessage;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /history}, {@code GET /history/peers}: 503 when history is off, as upstream. */
@RestController
class HistoryController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final HistoryStore history;

    HistoryController(HistoryStore history) {
        this.history = history;
    }

    @GetMapping(path = "/history", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<List<HistoryEntry>> history(@RequestParam(required = false) String peer,
                                     @RequestParam(required = false) String limit) {
        return Mono.defer(() -> {
            requireEnabled();
            PeerKey key = peer == null || peer.isBlank() ? null : PeerKeys.parse(peer, "peer");
            return history.history(key, parseLimit(limit));
        }).map(rows -> rows.stream().map(HistoryController::entry).toList());
    }

    @GetMapping(path = "/history/peers", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<List<String>> peers() {
        return Mono.defer(() -> {
            requireEnabled();
            return history.peers();
        }).map(keys -> keys.stream().map(PeerKey::hex).toList());
    }

    private void requireEnabled() {
        if (!history.enabled()) {
            throw SkychatException.persistenceOff();
        }
    }

    static int parseLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        int n;
        try {
            n = Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            throw SkychatException.badRequest("limit must be a number from 1 to " + MAX_LIMIT);
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw SkychatException.badRequest("limit must be from 1 to " + MAX_LIMIT + ", got " + n);
        }
        return n;
    }

    static HistoryEntry entry(StoredMessage m) {
        return new HistoryEntry(m.peer().hex(), m.from().hex(), m.outgoing(), m.text(),
                DateTimeFormatter.ISO_INSTANT.format(m.timestamp()), m.id().value(),
                m.replyTo() == null ? null : m.replyTo().value(),
                m.outgoing() && m.status() != null ? m.status().label() : null);
    }
}
