package io.skychat.group;

import io.skychat.core.PeerKey;
import java.time.Instant;

/**
 * {@code {"kind":"join_request",…}} sent on the relay listener (upstream {@code JoinRequestMsg}). The
 * requester key must equal the authenticated transport peer; the receiver checks that, not this record.
 */
public record JoinRequest(GroupId groupId, PeerKey requester, String note, Pow pow, boolean askAgain, boolean probe, Instant ts) {

    public static final String KIND = "join_request";
    public static final int MAX_NOTE = 280;

    /** The proof of work: {@code ts_unix}, {@code nonce}, {@code bits}. */
    public record Pow(long tsUnix, long nonce, int bits) {
    }

    public byte[] toJson() {
        throw new UnsupportedOperationException();
    }

    public static JoinRequest fromJson(byte[] json) {
        throw new UnsupportedOperationException();
    }
}
