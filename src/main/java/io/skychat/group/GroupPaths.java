package io.skychat.group;

import io.skychat.core.PeerKey;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Leaf paths on a member's group feed (upstream {@code group.go}, {@code gossip.go}, {@code keyrotate.go}):
 * {@code msgs/<sender hex>/<ts unixnano>/<seq>} for messages, {@code roster|admin|mod|keys/<seq>} for governance.
 * Numbers are decimal and not padded.
 */
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
        return msgPrefix(sender, tsNano) + "/" + Long.toUnsignedString(seq);
    }

    /** The prefix an unsend prunes: every leaf of that message. */
    public static String msgPrefix(PeerKey sender, long tsNano) {
        return MSGS + "/" + sender.hex() + "/" + tsNano;
    }

    public static String roster(long seq) {
        return ROSTER + "/" + Long.toUnsignedString(seq);
    }

    public static String admin(long seq) {
        return ADMIN + "/" + Long.toUnsignedString(seq);
    }

    public static String keys(long seq) {
        return KEYS + "/" + Long.toUnsignedString(seq);
    }

    /** A {@code msgs/<pk>/<ts>/<seq>} path, or empty for anything else (including the older {@code msgs/<ts>/<seq>}). */
    public static Optional<MsgPath> parseMsg(String path) {
        if (path == null) {
            return Optional.empty();
        }
        String[] p = path.split("/", -1);
        if (p.length != 4 || !p[0].equals(MSGS)) {
            return Optional.empty();
        }
        try {
            PeerKey sender = PeerKey.parse(p[1]);
            if (!p[1].equals(sender.hex()) || !isDecimal(p[2]) || !isDecimal(p[3])) {
                return Optional.empty();
            }
            return Optional.of(new MsgPath(sender, Long.parseLong(p[2]), Long.parseUnsignedLong(p[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The seq of {@code <prefix>/<seq>}, or empty when the path is something else. */
    public static OptionalLong parseSeq(String prefix, String path) {
        if (path == null || !path.startsWith(prefix + "/")) {
            return OptionalLong.empty();
        }
        String s = path.substring(prefix.length() + 1);
        if (!isDecimal(s)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean isDecimal(String s) {
        return !s.isEmpty() && s.length() <= 20 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
