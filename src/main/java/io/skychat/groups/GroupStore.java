package io.skychat.groups;

import java.time.Instant;
import java.util.List;

import io.skychat.core.PeerKey;
import reactor.core.publisher.Mono;

/** Where group records, group messages and join requests live; every call runs off the caller's thread. */
public interface GroupStore {

    Mono<List<GroupRecord>> all();

    /** Empty when there is no such group. */
    Mono<GroupRecord> find(String id);

    /** Inserts or replaces the record ({@code last_message_at} only ever moves forward). */
    Mono<Void> save(GroupRecord record);

    /** Records a message once; true when it was new. Also moves the group's {@code last_message_at}. */
    Mono<Boolean> record(GroupText message);

    /** Messages of the group newer than {@code since} (null: all), the newest {@code limit}, oldest first. */
    Mono<List<GroupText>> history(String groupId, Instant since, int limit);

    /** Records a join request, or refreshes its note; false when the group already has {@code max} others. */
    Mono<Boolean> request(String groupId, PeerKey peer, String note, Instant at, int max);

    Mono<List<JoinRequestView>> requests(String groupId);

    /** Drops a join request; true when there was one. */
    Mono<Boolean> dropRequest(String groupId, PeerKey peer);
}
