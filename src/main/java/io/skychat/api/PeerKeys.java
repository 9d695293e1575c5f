package io.skychat.api;

import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;

final class PeerKeys {

    private PeerKeys() {
    }

    /** Parses a key from a request, naming the field in the error. */
    static PeerKey parse(String value, String field) {
        try {
            return PeerKey.parse(value);
        } catch (IllegalArgumentException e) {
            throw SkychatException.invalidRecipient(field + ": " + e.getMessage());
        }
    }
}
