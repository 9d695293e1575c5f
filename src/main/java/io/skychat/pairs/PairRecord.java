package io.skychat.pairs;

import java.time.Instant;

import io.skychat.core.PeerKey;

/**
 * One pair as stored. {@code invitedAt} is when the peer's invite arrived, {@code ratchet} the JSON of the
 * pair's ratchet state (null until the first epoch work).
 */
public record PairRecord(PeerKey peer, PairStatus status, Instant createdAt, Instant updatedAt, Instant invitedAt,
                         Instant establishedAt, Instant lastMessageAt, int inviteAttempts, String ratchet) {

    public static PairRecord fresh(PeerKey peer, PairStatus status, Instant now) {
        return new PairRecord(peer, status, now, now, status == PairStatus.PENDING_IN ? now : null,
                status == PairStatus.ACTIVE ? now : null, null, 0, null);
    }

    public PairRecord withStatus(PairStatus next, Instant now) {
        return new PairRecord(peer, next, createdAt, now,
                next == PairStatus.PENDING_IN ? now : invitedAt,
                next == PairStatus.ACTIVE && establishedAt == null ? now : establishedAt,
                lastMessageAt, next == PairStatus.PENDING_OUT ? inviteAttempts : 0, ratchet);
    }

    public PairRecord withRatchet(String json) {
        return new PairRecord(peer, status, createdAt, updatedAt, invitedAt, establishedAt, lastMessageAt,
                inviteAttempts, json);
    }

    public PairRecord withAttempt(Instant now) {
        return new PairRecord(peer, status, createdAt, now, invitedAt, establishedAt, lastMessageAt,
                inviteAttempts + 1, ratchet);
    }
}
