package io.skychat.core;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A message id: 8 random bytes written as 16 lower-case hex characters, as upstream mints them. */
public record MessageId(String value) {

    private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public MessageId {
        if (value == null || !SHAPE.matcher(value).matches()) {
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
        return s != null && SHAPE.matcher(s).matches() ? new MessageId(s) : null;
    }

    @Override
    public String toString() {
        return value;
    }
}
