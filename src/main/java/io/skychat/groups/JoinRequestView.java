package io.skychat.groups;

import java.time.Instant;

import io.skychat.core.PeerKey;

/** A join request waiting for an admin's approve or deny. */
public record JoinRequestView(PeerKey peer, String note, Instant receivedAt) {
}
