package io.skychat.core;

import java.security.SecureRandom;
import java.util.HexFormat;

/** A message id: 8 random bytes written as 16 lower-case hex characters, as upstream mints them. */
public record MessageId(String value) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public MessageId {
        if (!wellFormed(value)) {
            throw new IllegalArgumentException("message id must be 16 lower-case hex characters");
        }
    }

    public static MessageId random() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return new MessageId(HexFormat.of().formatHex(b));
    }

    /** Returns the id if {@code s} has the right shape, else {@code null}; for ids read off the wire. */
    public static MessageId parseOrNull(String s) {
        return wellFormed(s) ? new MessageId(s) : null;
    }

    /** 16 characters, each 0-9 or a-f (checked on every id read off the wire, so no regular expression). */
    private static boolean wellFormed(String s) {
        if (s == null || s.length() != 16) {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
