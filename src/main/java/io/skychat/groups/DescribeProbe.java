package io.skychat.groups;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupId;
import io.skychat.group.GroupKind;
import io.skychat.group.JoinRequest;
import io.skychat.group.JoinResponse;
import io.skychat.group.JoinStatus;

/**
 * What the describe probe on {@link io.skychat.group.GroupPorts#PROBE} answers (upstream {@code probe.go}): one
 * {@code join_request} with {@code "probe":true} for one exact group id, answered {@code info} with the group's
 * name, kind, policy, port and join price, and nothing else (no roster, no key). The port decides nothing: a real
 * join sent there, a group this node is not an admin of, or one it has left, is answered {@code unavailable},
 * which says no more than "not from me"; an asker the group banned is told so, with the group's name.
 */
final class DescribeProbe {

    static final String NOT_A_PROBE =
            "this port answers group describes only; join requests go to the group's own port";
    static final String NOT_HERE = "this node does not host that group";
    static final String BANNED = "this public key is banned from the group";

    /** A group as the probe may describe it; {@code admin} is whether this node is an admin of it now. */
    record Hosted(GroupId id, String name, GroupKind kind, int port, int powBits, boolean admin, Set<PeerKey> banned) {
    }

    private DescribeProbe() {
    }

    /**
     * The answer to {@code request}, sent on a stream authenticated as {@code asker}. Changes nothing.
     * BAD_JOIN_MESSAGE (from {@link JoinRequest#requesterFrom}) when the request names another requester: such a
     * request is dropped unanswered, since the ban answer is about the asker's own key.
     */
    static JoinResponse answer(JoinRequest request, PeerKey asker, Function<GroupId, Optional<Hosted>> hosted) {
        PeerKey who = request.requesterFrom(asker);
        if (!request.probe()) {
            return JoinResponse.refusal(request.groupId(), JoinStatus.UNAVAILABLE, "", NOT_A_PROBE);
        }
        Optional<Hosted> found = hosted.apply(request.groupId());
        if (found.isEmpty() || !found.get().admin()) {
            return JoinResponse.refusal(request.groupId(), JoinStatus.UNAVAILABLE, "", NOT_HERE);
        }
        Hosted g = found.get();
        if (g.banned().contains(who)) {
            return new JoinResponse(g.id(), JoinStatus.BANNED, g.name(), g.kind(), null, 0, null, null, null, false,
                    false, 0, 0, BANNED, g.port(), g.kind().joinPolicy(), "");
        }
        return JoinResponse.info(g.id(), g.name(), g.kind(), g.port(), g.powBits());
    }
}
