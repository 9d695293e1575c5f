package io.skychat.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.skychat.api.dto.PairMessageRequest;
import io.skychat.api.dto.PairRequest;
import io.skychat.core.ChatService;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.pair.GoJson;
import io.skychat.pair.PairPort;
import io.skychat.pairs.PairRecord;
import io.skychat.pairs.PairService;
import io.skychat.pairs.PairText;
import io.skychat.pairs.PairsException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Upstream's pairing routes: {@code POST/GET /pair}, {@code DELETE /pair/{pk}}, {@code POST /pair/{pk}/message},
 * {@code DELETE /pair/{pk}/message?id=}, {@code GET /pair/invites}, {@code POST /pair/invites/{pk}/accept|decline},
 * {@code GET /pair/inbox?since=&limit=}. Every one answers 503 when pairing is off.
 */
@RestController
class PairController {

    private final ObjectProvider<PairService> pairs;
    private final ChatService chat;

    PairController(ObjectProvider<PairService> pairs, ChatService chat) {
        this.pairs = pairs;
        this.chat = chat;
    }

    private PairService pairs() {
        PairService p = pairs.getIfAvailable();
        if (p == null) {
            throw PairsException.off();
        }
        return p;
    }

    @PostMapping(path = "/pair", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> add(@RequestBody(required = false) PairRequest request) {
        return Mono.defer(() -> {
            PairService p = pairs();
            if (request == null) {
                throw SkychatException.badRequest("request body is required: {\"peer_pk\":\"<pk>\"}");
            }
            return p.invite(PeerKeys.parse(request.peerPk(), "peer_pk")).map(this::info);
        });
    }

    @GetMapping(path = "/pair", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<List<Map<String, Object>>> list() {
        return Mono.defer(() -> pairs().list().map(all -> all.stream().map(this::info).toList()));
    }

    @DeleteMapping("/pair/{pk}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> remove(@PathVariable("pk") String pk) {
        return Mono.defer(() -> {
            PairService p = pairs();
            return p.remove(PeerKeys.parse(pk, "pk"));
        });
    }

    @PostMapping(path = "/pair/{pk}/message", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> send(@PathVariable("pk") String pk, @RequestBody(required = false) PairMessageRequest request) {
        return Mono.defer(() -> {
            PairService p = pairs();
            PeerKey peer = PeerKeys.parse(pk, "pk");
            if (request == null || request.text() == null || request.text().isEmpty()) {
                throw SkychatException.badRequest("request body is required: {\"text\":\"<message>\"}");
            }
            return p.send(peer, request.text()).map(m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("ok", true);
                out.put("id", m.id());
                return out;
            });
        });
    }

    @DeleteMapping("/pair/{pk}/message")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> retract(@PathVariable("pk") String pk, @RequestParam(name = "id", required = false) String id) {
        return Mono.defer(() -> {
            PairService p = pairs();
            PeerKey peer = PeerKeys.parse(pk, "pk");
            if (id == null || !id.matches("[0-9]{1,20}-[0-9]{1,20}")) {
                throw SkychatException.badRequest("id must be a pair message id <ts unixnano>-<seq>");
            }
            return p.deleteMessage(peer, id).flatMap(had -> had ? Mono.empty()
                    : Mono.error(SkychatException.badRequest("no message " + id + " of ours in this pair")));
        });
    }

    @GetMapping(path = "/pair/invites", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<List<Map<String, Object>>> invites() {
        return Mono.defer(() -> pairs().invites().map(all -> all.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("peer_pk", r.peer().hex());
            m.put("received_at", time(r.invitedAt() == null ? r.updatedAt() : r.invitedAt()));
            return m;
        }).toList()));
    }

    @PostMapping("/pair/invites/{pk}/accept")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> accept(@PathVariable("pk") String pk) {
        return Mono.defer(() -> {
            PairService p = pairs();
            return p.accept(PeerKeys.parse(pk, "pk"));
        });
    }

    @PostMapping("/pair/invites/{pk}/decline")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> decline(@PathVariable("pk") String pk) {
        return Mono.defer(() -> {
            PairService p = pairs();
            return p.decline(PeerKeys.parse(pk, "pk"));
        });
    }

    @GetMapping(path = "/pair/inbox", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<List<Map<String, Object>>> inbox(@RequestParam(name = "since", required = false) String since,
                                          @RequestParam(name = "limit", required = false) String limit) {
        return Mono.defer(() -> {
            PairService p = pairs();
            Instant from = null;
            if (since != null && !since.isBlank()) {
                try {
                    from = OffsetDateTime.parse(since.strip()).toInstant();
                } catch (DateTimeException e) {
                    throw SkychatException.badRequest("since must be an RFC 3339 time, e.g. 2026-05-01T12:00:00Z");
                }
            }
            int n = 100;
            if (limit != null && !limit.isBlank()) {
                try {
                    n = Integer.parseInt(limit.strip());
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 1 || n > 1000) {
                    throw SkychatException.badRequest("limit must be 1..1000");
                }
            }
            return p.inbox(from, n).map(all -> all.stream().map(PairController::message).toList());
        });
    }

    private Map<String, Object> info(PairRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peer_pk", r.peer().hex());
        m.put("status", r.status().label());
        m.put("port", PairPort.of(chat.self(), r.peer()));
        m.put("established_at", r.establishedAt() == null ? null : time(r.establishedAt()));
        m.put("last_message_at", r.lastMessageAt() == null ? null : time(r.lastMessageAt()));
        m.put("created_at", time(r.createdAt()));
        return m;
    }

    private static Map<String, Object> message(PairText t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peer_pk", t.peer().hex());
        m.put("text", t.text());
        m.put("ts", time(t.ts()));
        m.put("id", t.id());
        return m;
    }

    private static String time(Instant t) {
        return GoJson.time(t);
    }
}
