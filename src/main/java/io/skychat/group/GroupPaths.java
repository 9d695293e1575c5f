package io.skychat.group;

import io.skychat.core.PeerKey;
import java.util.OptionalLong;
import java.util.Optional;

/** Leaf paths on a member's group feed: {@code msgs/<pk>/<tsNano>/<seq>}, {@code roster|admin|keys/<seq>}. */
public final class GroupPaths {

    public static final String MSGS = "msgs";
    public static final String ROSTER = "roster";
    public static final String ADMIN = "admin";
    public static final String MOD = "mod";
    public static final String KEYS = "keys";

    /** A parsed message path. */
    public record MsgPath(PeerKey sender, long tsNano, long seq) {
    }

    private GroupPaths() {
    }

    public static String msg(PeerKey sender, long tsNano, long seq) {
        throw new UnsupportedOperationException();
    }

    /** The prefix an unsend prunes. */
    public static String msgPrefix(PeerKey sender, long tsNano) {
        throw new UnsupportedOperationException();
    }

    public static String roster(long seq) {
        throw new UnsupportedOperationException();
    }

    public static String admin(long seq) {
        throw new UnsupportedOperationException();
    }

    public static String keys(long seq) {
        throw new UnsupportedOperationException();
    }

    public static Optional<MsgPath> parseMsg(String path) {
        throw new UnsupportedOperationException();
    }

    /** The seq of {@code <prefix>/<seq>}, or empty when the path is something else. */
    public static OptionalLong parseSeq(String prefix, String path) {
        throw new UnsupportedOperationException();
    }
}
