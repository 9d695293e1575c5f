package io.skychat.pairs;

import java.time.Instant;

import io.skychat.core.PeerKey;

/** One pair message as kept here: {@code id} is the feed's {@code <ts unixnano>-<seq>}. */
public record PairText(PeerKey peer, String id, boolean outgoing, String text, Instant ts) {
}
