package io.skychat.group;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupException.Reason;
import io.skychat.pair.GoJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code {"kind":"join_request",…}} written to a group's relay listener (upstream {@code JoinRequestMsg}). Fields in
 * Go's order: {@code kind, group_id, requester_pk, note (if any), pow {ts_unix, nonce, bits}, ask_again (if true),
 * probe (if true), ts}. The requester key comes from the authenticated transport; {@code requester} (null when the
 * sender left it zero) may only agree with it, see {@link #requesterFrom(PeerKey)}.
 */
public record JoinRequest(GroupId groupId, PeerKey requester, String note, Pow pow, boolean askAgain, boolean probe, Instant ts) {

    public static final String KIND = "join_request";
    /** Notes longer than this many UTF-8 bytes are cut, as upstream's {@code maxJoinNoteLen}. */
    public static final int MAX_NOTE = 280;
    static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    /** The proof of work: {@code ts_unix}, {@code nonce} (unsigned), {@code bits} (advisory). */
    public record Pow(long tsUnix, long nonce, int bits) {
        public static final Pow NONE = new Pow(0, 0, 0);
    }

    public JoinRequest {
        Objects.requireNonNull(groupId, "groupId");
        note = truncateUtf8(note == null ? "" : note, MAX_NOTE);
        pow = pow == null ? Pow.NONE : pow;
        ts = ts == null ? GO_ZERO_TIME : ts;
    }

    /** A request carrying a proof solved now for {@code bits} (0: none). Costs about 2^bits hashes. */
    public static JoinRequest solved(GroupId groupId, PeerKey requester, String note, int bits, Instant now) {
        int want = JoinPow.clamp(bits);
        Pow pow = want == 0 ? Pow.NONE
                : new Pow(now.getEpochSecond(), JoinPow.solve(groupId, requester, now.getEpochSecond(), want), want);
        return new JoinRequest(groupId, requester, note, pow, false, false, now);
    }

    /** A describe probe: asks what the group is and decides nothing. */
    public static JoinRequest describe(GroupId groupId, PeerKey requester, Instant now) {
        return new JoinRequest(groupId, requester, "", Pow.NONE, false, true, now);
    }

    public JoinRequest withAskAgain() {
        return new JoinRequest(groupId, requester, note, pow, true, probe, ts);
    }

    /**
     * The key to attribute this request to: the authenticated transport peer. BAD_JOIN_MESSAGE when the request
     * names somebody else.
     */
    public PeerKey requesterFrom(PeerKey authenticated) {
        if (requester != null && !requester.equals(authenticated)) {
            throw new GroupException(Reason.BAD_JOIN_MESSAGE, "join request claims requester " + requester
                    + " but the connection is authenticated as " + authenticated);
        }
        return authenticated;
    }

    /** Checks the proof against the group's own price, bound to the authenticated key (STALE / INSUFFICIENT_POW). */
    public void checkPow(PeerKey authenticated, int requiredBits, Instant now) {
        JoinPow.check(groupId, authenticated, pow.tsUnix(), pow.nonce(), requiredBits, now);
    }

    public byte[] toJson() {
        String powJson = new Json.Out().i64("ts_unix", pow.tsUnix()).u64("nonce", pow.nonce()).u64("bits", pow.bits()).done();
        return new Json.Out().str("kind", KIND).str("group_id", groupId.value()).pk("requester_pk", requester)
                .strIfNotEmpty("note", note).raw("pow", powJson).trueOnly("ask_again", askAgain).trueOnly("probe", probe)
                .time("ts", ts).bytes();
    }

    /** BAD_JOIN_MESSAGE for another frame kind, an empty or junk group id, or malformed fields. */
    public static JoinRequest fromJson(byte[] json) {
        Json.In in = Json.In.parse(json, Reason.BAD_JOIN_MESSAGE, "join request");
        String kind = in.str("kind");
        if (!kind.equals(KIND)) {
            throw in.fail("unexpected kind " + GroupKind.quoted(kind));
        }
        Json.In p = in.object("pow");
        Pow pow = new Pow(p.signed64("ts_unix"), p.unsigned("nonce", 64), (int) p.unsigned("bits", 8));
        Instant ts = in.has("ts") ? in.instant("ts") : GO_ZERO_TIME;
        return new JoinRequest(groupIdOf(in), in.pk("requester_pk"), in.str("note"), pow, in.bool("ask_again"),
                in.bool("probe"), ts);
    }

    static GroupId groupIdOf(Json.In in) {
        String id = in.str("group_id");
        if (id.isEmpty()) {
            throw in.fail("empty group id");
        }
        try {
            return GroupId.parse(id);
        } catch (GroupException e) {
            throw in.fail(e.getMessage());
        }
    }

    /**
     * The {@code kind} of a relay frame: {@code join_request}, {@code join_response}, or "" for a legacy chat
     * submission. BAD_JOIN_MESSAGE when the frame is not a JSON object.
     */
    public static String frameKind(byte[] json) {
        return Json.In.parse(json, Reason.BAD_JOIN_MESSAGE, "relay frame").str("kind");
    }

    /** Cuts to at most {@code maxBytes} UTF-8 bytes without splitting a character. */
    static String truncateUtf8(String s, int maxBytes) {
        if (s.length() * 3 <= maxBytes || s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    @Override
    public String toString() {
        return "JoinRequest[" + groupId + " from " + requester + (probe ? " probe" : "") + " at " + GoJson.time(ts) + "]";
    }
}
