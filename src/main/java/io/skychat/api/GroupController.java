package io.skychat.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.skychat.api.dto.GroupCreateRequest;
import io.skychat.api.dto.GroupJoinRequest;
import io.skychat.api.dto.GroupMessageRequest;
import io.skychat.api.dto.GroupPeerRequest;
import io.skychat.core.Direction;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import io.skychat.group.GroupAddress;
import io.skychat.group.GroupKind;
import io.skychat.group.InviteLinks;
import io.skychat.groups.GroupService;
import io.skychat.groups.GroupText;
import io.skychat.groups.GroupView;
import io.skychat.groups.GroupsException;
import io.skychat.groups.JoinOutcome;
import io.skychat.groups.JoinRequestView;
import io.skychat.pair.GoJson;
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
 * Upstream's group routes: {@code GET/POST /group}, {@code POST /group/join}, {@code GET/DELETE /group/{id}},
 * {@code GET /group/{id}/invite}, {@code POST /group/{id}/send}, {@code GET /group/{id}/history},
 * {@code POST /group/{id}/leave}, {@code POST /group/{id}/members/{add|remove|promote|demote}},
 * {@code GET /group/{id}/requests}, {@code POST /group/{id}/requests/{approve|deny}}. Every one answers 503
 * when this node runs no groups (no relay network).
 */
@RestController
class GroupController {

    /** Upstream's group ids are UUID strings. */
    private static final Pattern GROUP_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final int NOTE_MAX = 280;
    private static final String UNAVAILABLE = "groups are not running on this node: they need a relay network for "
            + "the group feeds (start with --dmsg, or run under a visor)";

    private final ObjectProvider<GroupService> groups;

    GroupController(ObjectProvider<GroupService> groups) {
        this.groups = groups;
    }

    private GroupService groups() {
        GroupService g = groups.getIfAvailable();
        if (g == null) {
            throw GroupsException.unavailable(UNAVAILABLE);
        }
        return g;
    }

    @GetMapping(path = "/group", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<List<Map<String, Object>>> list(@RequestParam(name = "all", required = false) String all) {
        boolean everything = "1".equals(all) || "true".equalsIgnoreCase(all);
        return Mono.defer(() -> groups().list().map(views -> views.stream()
                // As upstream: a group left or deleted disappears from the list unless asked for (?all=1).
                .filter(v -> everything || !(v.status().equals("left") || v.status().equals("revoked")))
                .map(GroupController::info).toList()));
    }

    @PostMapping(path = "/group", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> create(@RequestBody(required = false) GroupCreateRequest request) {
        return Mono.defer(() -> {
            GroupService g = groups();
            if (!g.available()) {
                return refusal(g);
            }
            if (request == null) {
                throw badRequest("request body is required: {\"name\":\"<name>\",\"kind\":\"public|private|channel\","
                        + "\"members\":[\"<pk>\",…]}");
            }
            String name = request.name() == null ? "" : request.name().strip();
            if (name.isEmpty()) {
                throw badRequest("name is required");
            }
            GroupKind kind = kind(request.kind(), request.mode());
            List<PeerKey> members = new ArrayList<>();
            List<String> raw = request.members() == null ? List.of() : request.members();
            for (int i = 0; i < raw.size(); i++) {
                String pk = raw.get(i) == null ? "" : raw.get(i).strip();
                if (!pk.isEmpty()) {
                    members.add(peer(pk, "members[" + i + "]"));
                }
            }
            return g.create(name, kind, members).flatMap(view -> g.inviteLink(view.id()).map(link -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("info", info(view));
                out.put("invite", link);
                return out;
            }));
        });
    }

    @PostMapping(path = "/group/join", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> join(@RequestBody(required = false) GroupJoinRequest request) {
        return Mono.defer(() -> {
            GroupService g = groups();
            if (!g.available()) {
                return refusal(g);
            }
            String invite = request == null || request.invite() == null ? "" : request.invite().strip();
            String address = request == null || request.address() == null ? "" : request.address().strip();
            if (invite.isEmpty() && address.isEmpty()) {
                throw badRequest("invite or address is required: {\"invite\":\"skychat:invite:…\"} or "
                        + "{\"address\":\"skychat://<pk>/<group-id>\"}");
            }
            String note = request.note() == null ? "" : request.note().strip();
            if (note.codePointCount(0, note.length()) > NOTE_MAX) {
                throw badRequest("note is longer than " + NOTE_MAX + " characters");
            }
            // One UI field takes either: the shape decides, not the key it came under.
            String link = invite.isEmpty() ? address : invite;
            checkLink(link);
            return g.join(link, note).map(GroupController::joined);
        });
    }

    @GetMapping(path = "/group/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> get(@PathVariable("id") String id) {
        return Mono.defer(() -> groups().info(groupId(id)).map(GroupController::info));
    }

    @DeleteMapping("/group/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable("id") String id) {
        return Mono.defer(() -> {
            GroupService g = groups();
            return g.delete(groupId(id));
        });
    }

    @GetMapping(path = "/group/{id}/invite", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> invite(@PathVariable("id") String id) {
        return Mono.defer(() -> {
            GroupService g = groups();
            String gid = groupId(id);
            return g.info(gid).flatMap(view -> g.inviteLink(gid).map(link -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("invite", link);
                out.put("address", "skychat://" + view.owner().hex() + "/" + view.id());
                return out;
            }));
        });
    }

    @PostMapping(path = "/group/{id}/send", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> send(@PathVariable("id") String id, @RequestBody(required = false) GroupMessageRequest request) {
        return Mono.defer(() -> {
            GroupService g = groups();
            String gid = groupId(id);
            if (request == null || request.text() == null || request.text().isBlank()) {
                throw badRequest("request body is required: {\"text\":\"<message>\"}");
            }
            return g.send(gid, request.text()).map(t -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("ok", true);
                out.put("id", t.id());
                out.put("group_id", t.groupId());
                out.put("ts", GoJson.time(t.ts()));
                out.put("ts_nano", t.tsNano());
                return out;
            });
        });
    }

    @GetMapping(path = "/group/{id}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<List<Map<String, Object>>> history(@PathVariable("id") String id,
                                            @RequestParam(name = "since", required = false) String since,
                                            @RequestParam(name = "limit", required = false) String limit) {
        return Mono.defer(() -> {
            GroupService g = groups();
            String gid = groupId(id);
            Instant from = since(since);
            int n = limit(limit);
            return g.history(gid, from, n).map(all -> all.stream().map(GroupController::message).toList());
        });
    }

    @PostMapping("/group/{id}/leave")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> leave(@PathVariable("id") String id) {
        return Mono.defer(() -> {
            GroupService g = groups();
            return g.leave(groupId(id));
        });
    }

    @PostMapping(path = "/group/{id}/members/{action}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> member(@PathVariable("id") String id, @PathVariable("action") String action,
                                     @RequestBody(required = false) GroupPeerRequest request) {
        return Mono.defer(() -> {
            GroupService g = groups();
            String gid = groupId(id);
            PeerKey pk = peer(request, action);
            Mono<GroupView> done = switch (action) {
                case "add" -> g.addMember(gid, pk);
                case "remove" -> g.removeMember(gid, pk);
                case "promote" -> g.promote(gid, pk);
                case "demote" -> g.demote(gid, pk);
                default -> throw new GroupsException(GroupsException.Kind.NOT_FOUND, "no member action \"" + action
                        + "\": use add, remove, promote or demote");
            };
            return done.map(GroupController::info);
        });
    }

    @GetMapping(path = "/group/{id}/requests", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<List<Map<String, Object>>> requests(@PathVariable("id") String id) {
        return Mono.defer(() -> {
            GroupService g = groups();
            String gid = groupId(id);
            return g.joinRequests(gid).map(all -> all.stream().map(r -> request(gid, r)).toList());
        });
    }

    @PostMapping(path = "/group/{id}/requests/{decision}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> decide(@PathVariable("id") String id, @PathVariable("decision") String decision,
                                     @RequestBody(required = false) GroupPeerRequest request) {
        return Mono.defer(() -> {
            GroupService g = groups();
            String gid = groupId(id);
            PeerKey pk = peer(request, "requests/" + decision);
            return switch (decision) {
                case "approve" -> g.approve(gid, pk).map(GroupController::info);
                // upstream answers a denial with the group as it is now
                case "deny" -> g.deny(gid, pk).then(Mono.defer(() -> g.info(gid))).map(GroupController::info);
                default -> throw new GroupsException(GroupsException.Kind.NOT_FOUND, "no request decision \"" + decision
                        + "\": use approve or deny");
            };
        });
    }

    /**
     * A service that is off refuses every call with its reason (no relay network, --no-groups, no key); this
     * asks it through a call that takes nothing, so a body is never judged before the 503 it would get anyway.
     */
    private static <T> Mono<T> refusal(GroupService g) {
        return g.list().then(Mono.error(() -> GroupsException.unavailable(UNAVAILABLE)));
    }

    // ---- parsing

    static String groupId(String id) {
        String s = id == null ? "" : id.strip();
        if (!GROUP_ID.matcher(s).matches()) {
            throw badRequest("group id must be a UUID (as group list shows it), not \"" + clip(s) + "\"");
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * Refuses a link that cannot be an invite or an address before anything is sent anywhere, with what is wrong
     * with it (the decoders name the fault).
     */
    static void checkLink(String link) {
        if (link.startsWith(InviteLinks.PREFIX)) {
            InviteLinks.decode(link);
        } else if (GroupAddress.looksLikeAddress(link)) {
            GroupAddress.parse(link);
        } else {
            throw badRequest("not an invite link (skychat:invite:…) or a group address (skychat://<pk>/<group-id>): \""
                    + clip(link) + "\"");
        }
    }

    static GroupKind kind(String kind, String mode) {
        String raw = kind != null && !kind.isBlank() ? kind : mode;
        if (raw == null || raw.isBlank()) {
            return GroupKind.PUBLIC;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "public" -> GroupKind.PUBLIC;
            case "private" -> GroupKind.PRIVATE;
            case "channel" -> GroupKind.CHANNEL;
            default -> throw badRequest("kind must be public, private or channel, not \"" + clip(raw.strip()) + "\"");
        };
    }

    private static PeerKey peer(GroupPeerRequest request, String action) {
        if (request == null || request.pk() == null || request.pk().isBlank()) {
            throw badRequest("request body is required: {\"pk\":\"<public key>\"} (" + action + ")");
        }
        return peer(request.pk().strip(), "pk");
    }

    private static PeerKey peer(String value, String field) {
        try {
            return PeerKey.parse(value);
        } catch (IllegalArgumentException e) {
            throw badRequest(field + ": " + e.getMessage());
        }
    }

    private static Instant since(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(since.strip()).toInstant();
        } catch (DateTimeException e) {
            throw badRequest("since must be an RFC 3339 time, e.g. 2026-05-01T12:00:00Z");
        }
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return 100;
        }
        int n;
        try {
            n = Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 1000) {
            throw badRequest("limit must be 1..1000");
        }
        return n;
    }

    private static GroupsException badRequest(String message) {
        return new GroupsException(GroupsException.Kind.BAD_REQUEST, message);
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    // ---- rendering (upstream's field names)

    static Map<String, Object> info(GroupView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        m.put("name", v.name());
        m.put("kind", v.kind().wire());
        m.put("mode", v.mode());
        m.put("role", v.role());
        m.put("status", v.status());
        m.put("owner_pk", v.owner().hex());
        m.put("admins", v.admins().stream().map(PeerKey::hex).toList());
        m.put("members", v.members().stream().map(PeerKey::hex).toList());
        m.put("members_count", v.membersCount());
        m.put("port", v.port());
        m.put("last_message_at", v.lastMessageAt() == null ? null : GoJson.time(v.lastMessageAt()));
        m.put("key_epoch", v.keyEpoch());
        return m;
    }

    private static Map<String, Object> joined(JoinOutcome o) {
        switch (o.status()) {
            case "admitted", "pending" -> {
                Map<String, Object> m = o.group() == null ? new LinkedHashMap<>() : info(o.group());
                m.put("join_status", o.status());
                m.put("join_reason", o.reason() == null ? "" : o.reason());
                return m;
            }
            case "denied", "banned" -> throw new JoinRefused("group-join-denied", "join " + o.status() + because(o));
            case "throttled" -> throw new JoinRefused("rate-limited", "join throttled by the group's admins" + because(o)
                    + "; ask again later");
            default -> throw new JoinRefused("group-unreachable", "no admin of the group decided the join request ("
                    + o.status() + ")" + because(o));
        }
    }

    private static String because(JoinOutcome o) {
        return o.reason() == null || o.reason().isBlank() ? "" : ": " + o.reason();
    }

    /** A join the group's admins refused or never answered: 403, 429 or 502 (see {@link ProblemResponses}). */
    static final class JoinRefused extends SkychatException {
        JoinRefused(String type, String message) {
            super(type, message, null);
        }
    }

    private static Map<String, Object> message(GroupText t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group_id", t.groupId());
        m.put("sender_pk", t.sender().hex());
        m.put("text", t.text());
        m.put("ts", GoJson.time(t.ts()));
        m.put("ts_nano", t.tsNano());
        m.put("id", t.id());
        m.put("outgoing", t.direction() == Direction.OUT);
        return m;
    }

    private static Map<String, Object> request(String groupId, JoinRequestView r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group_id", groupId);
        m.put("pk", r.peer().hex());
        m.put("note", r.note() == null ? "" : r.note());
        m.put("received_at", r.receivedAt() == null ? null : GoJson.time(r.receivedAt()));
        m.put("status", "pending");
        return m;
    }
}
