package io.skychat.groups;

import java.time.Instant;
import java.util.List;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupKind;
import reactor.core.publisher.Mono;

/** Groups at run time (being built: the surface is fixed, the bodies are not there yet). */
public final class GroupService implements AutoCloseable {

    public GroupService() {
    }

    public Mono<Void> start() {
        return Mono.empty();
    }

    @Override
    public void close() {
    }

    public Mono<GroupView> create(String name, GroupKind kind, List<PeerKey> members) {
        return todo();
    }

    public Mono<List<GroupView>> list() {
        return todo();
    }

    public Mono<GroupView> info(String id) {
        return todo();
    }

    public Mono<String> inviteLink(String id) {
        return todo();
    }

    public Mono<JoinOutcome> join(String linkOrAddress, String note) {
        return todo();
    }

    public Mono<GroupText> send(String id, String text) {
        return todo();
    }

    public Mono<List<GroupText>> history(String id, Instant since, int limit) {
        return todo();
    }

    public Mono<Void> leave(String id) {
        return todo();
    }

    public Mono<Void> delete(String id) {
        return todo();
    }

    public Mono<GroupView> addMember(String id, PeerKey peer) {
        return todo();
    }

    public Mono<GroupView> removeMember(String id, PeerKey peer) {
        return todo();
    }

    public Mono<GroupView> promote(String id, PeerKey peer) {
        return todo();
    }

    public Mono<GroupView> demote(String id, PeerKey peer) {
        return todo();
    }

    public Mono<List<JoinRequestView>> joinRequests(String id) {
        return todo();
    }

    public Mono<GroupView> approve(String id, PeerKey peer) {
        return todo();
    }

    public Mono<Void> deny(String id, PeerKey peer) {
        return todo();
    }

    public List<GroupStatusRow> statusRows() {
        return List.of();
    }

    private static <T> Mono<T> todo() {
        return Mono.error(() -> GroupsException.unavailable("groups are not running on this node yet"));
    }
}
