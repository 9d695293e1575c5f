package io.skychat.groups;

import io.skychat.core.SkychatException;

/**
 * A group request that cannot be done as asked. {@link #kind()} is what the HTTP surface maps to a status
 * (404, 400, 403, 409, 502, 503); the message says what was wrong in one line.
 */
public final class GroupsException extends SkychatException {

    public enum Kind {
        NOT_FOUND("group-not-found"),
        BAD_REQUEST("bad-request"),
        FORBIDDEN("group-forbidden"),
        CONFLICT("group-conflict"),
        UNREACHABLE("group-unreachable"),
        UNAVAILABLE("groups-unavailable");

        private final String type;

        Kind(String type) {
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    private final Kind kind;

    public GroupsException(Kind kind, String message) {
        super(kind.type(), message, null);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static GroupsException notFound(String id) {
        return new GroupsException(Kind.NOT_FOUND, "no group " + id);
    }

    static GroupsException missing(String message) {
        return new GroupsException(Kind.NOT_FOUND, message);
    }

    static GroupsException invalid(String message) {
        return new GroupsException(Kind.BAD_REQUEST, message);
    }

    static GroupsException forbidden(String message) {
        return new GroupsException(Kind.FORBIDDEN, message);
    }

    static GroupsException conflict(String message) {
        return new GroupsException(Kind.CONFLICT, message);
    }

    static GroupsException unreachable(String message) {
        return new GroupsException(Kind.UNREACHABLE, message);
    }

    public static GroupsException unavailable(String message) {
        return new GroupsException(Kind.UNAVAILABLE, message);
    }
}
