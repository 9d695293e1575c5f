package io.skychat.group;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A group's identity: a UUID, written in its canonical 36-character lower-case form as upstream's
 * {@code Record.ID}; {@link #bytes()} is the 16-byte form gossip signatures cover.
 */
public record GroupId(String value) {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public GroupId {
        if (value == null || !CANONICAL.matcher(value).matches()) {
            throw new GroupException(GroupException.Reason.BAD_GROUP_ID,
                    "group id must be a UUID like 123e4567-e89b-12d3-a456-426614174000, got " + GroupKind.quoted(value));
        }
        if (value.equals("00000000-0000-0000-0000-000000000000")) {
            throw new GroupException(GroupException.Reason.BAD_GROUP_ID, "group id must not be the zero UUID");
        }
    }

    /** Accepts upper case and surrounding blanks; anything else that is not a UUID is refused. */
    public static GroupId parse(String s) {
        return new GroupId(s == null ? null : s.strip().toLowerCase(Locale.ROOT));
    }

    public static GroupId random() {
        return new GroupId(UUID.randomUUID().toString());
    }

    public static GroupId of(byte[] uuid16) {
        if (uuid16 == null || uuid16.length != 16) {
            throw new GroupException(GroupException.Reason.BAD_GROUP_ID, "group id must be 16 bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(uuid16);
        return new GroupId(new UUID(b.getLong(), b.getLong()).toString());
    }

    /** The 16 bytes of the UUID, as Go's {@code uuid.UUID} array. */
    public byte[] bytes() {
        UUID u = UUID.fromString(value);
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }

    @Override
    public String toString() {
        return value;
    }
}
