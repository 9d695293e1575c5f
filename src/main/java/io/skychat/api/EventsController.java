package io.skychat.api;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import io.skychat.api.dto.EventLine;
import io.skychat.core.EventLog;
import io.skychat.core.EventRecord;
import io.skychat.core.SkychatException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;

/**
 * {@code GET /events?channel=dm,group,pair,system|all&since=<seq>}: NDJSON, one event per line, replaying
 * what is newer than {@code since} (up to 10 000 events, 24 h) and then following live.
 */
@RestController
class EventsController {

    static final Set<String> DEFAULT_CHANNELS = Set.of(EventRecord.DM, EventRecord.GROUP, EventRecord.PAIR);
    static final Set<String> KNOWN = Set.of(EventRecord.DM, EventRecord.GROUP, EventRecord.PAIR, EventRecord.SYSTEM);

    private final EventLog log;
    private final StreamSlots slots;

    EventsController(EventLog log, StreamSlots slots) {
        this.log = log;
        this.slots = slots;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The NDJSON form of a record, one per log entry: a constant, as {@link EventLog.Entry#rendered} asks. */
    static final Function<EventRecord, byte[]> NDJSON_LINE =
            r -> (JSON.writeValueAsString(line(r)) + "\n").getBytes(StandardCharsets.UTF_8);

    /**
     * Written by hand so the status line and headers go out at once, even when there is nothing to replay:
     * a client following an idle feed must not hang waiting for the first event to see the response.
     */
    @GetMapping(path = "/events", produces = {MediaType.APPLICATION_NDJSON_VALUE, MediaType.ALL_VALUE})
    Mono<Void> events(@RequestParam(required = false) String channel, @RequestParam(required = false) String since,
                      ServerWebExchange exchange) {
        Set<String> channels = parseChannels(channel);
        long from = parseSince(since);
        StreamSlots.Slot slot = slots.tryAcquire();
        if (slot == null) {
            return StreamingResponses.refuse(exchange, slots);
        }
        ServerHttpResponse response = exchange.getResponse();
        StreamingResponses.prepare(response, MediaType.APPLICATION_NDJSON);
        // Each line is rendered once and the bytes shared by every stream that writes it.
        Flux<DataBuffer> lines = log.entriesSince(from, channels)
                .map(e -> response.bufferFactory().wrap(e.rendered(NDJSON_LINE)));
        return StreamingResponses.write(response, slot,
                Flux.concat(Mono.just(response.bufferFactory().allocateBuffer(0)), lines));
    }

    /** Upstream's rule: empty or "all" is dm+group+pair; "system" is opt-in; "all,system" adds it. */
    static Set<String> parseChannels(String csv) {
        if (csv == null || csv.isBlank()) {
            return DEFAULT_CHANNELS;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String token : csv.split(",")) {
            String t = token.strip().toLowerCase(Locale.ROOT);
            if (t.isEmpty() || t.equals("all")) {
                out.addAll(DEFAULT_CHANNELS);
            } else if (KNOWN.contains(t)) {
                out.add(t);
            } else {
                throw SkychatException.badRequest("unknown channel \"" + token.strip() + "\": use dm, group, pair, system or all");
            }
        }
        return out;
    }

    static long parseSince(String since) {
        if (since == null || since.isBlank()) {
            return 0;
        }
        try {
            long n = Long.parseLong(since.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw SkychatException.badRequest("since must be a non-negative event sequence number");
        }
    }

    static EventLine line(EventRecord r) {
        return new EventLine(r.seq(), r.id(), DateTimeFormatter.ISO_INSTANT.format(r.ts()), r.channel(), r.transport(),
                r.dir(), r.from(), r.to(), r.groupId(), r.text(), r.replyToId(), r.len(), r.status());
    }
}
