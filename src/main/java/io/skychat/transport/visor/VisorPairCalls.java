package io.skychat.transport.visor;

import static io.skychat.transport.gob.GobType.Builtin.STRING;
import static io.skychat.transport.gob.GobType.Builtin.UINT;

import io.skychat.core.PeerKey;
import io.skychat.transport.gob.GobException;
import io.skychat.transport.gob.GobType;
import io.skychat.transport.gob.GobValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The pair methods of the visor's RPC service ({@value AppCall#VISOR_SERVICE} on {@code --pair-rpc}): upstream's
 * visor runs the pair feeds itself and the app drives them with these. Argument and reply types are the Go
 * structs of {@code pkg/visor/rpc_pairing.go} and {@code pairing.go}, by field name.
 */
public final class VisorPairCalls {

    private static final GobType.Struct ADD_REQUEST = GobType.Struct.of("PairAddRequest",
            new GobType.Field("PeerPK", AppGobTypes.PUB_KEY));
    private static final GobType.Struct SEND_REQUEST = GobType.Struct.of("PairSendRequest",
            new GobType.Field("PeerPK", AppGobTypes.PUB_KEY), new GobType.Field("Text", STRING));
    private static final GobType.Struct POLL_REQUEST = GobType.Struct.of("PairPollRequest",
            new GobType.Field("Since", AppGobTypes.TIME));
    private static final GobType.Struct PAIR_INFO = GobType.Struct.of("PairInfo",
            new GobType.Field("PeerPK", AppGobTypes.PUB_KEY), new GobType.Field("Status", STRING),
            new GobType.Field("Port", UINT), new GobType.Field("EstablishedAt", AppGobTypes.TIME),
            new GobType.Field("LastMessageAt", AppGobTypes.TIME));
    private static final GobType.Struct PAIR_MESSAGE = GobType.Struct.of("PairMessage",
            new GobType.Field("PeerPK", AppGobTypes.PUB_KEY), new GobType.Field("Text", STRING),
            new GobType.Field("TS", AppGobTypes.TIME));

    /** Creates the pending record and brings up the visor's publisher and subscriber; idempotent. */
    public static final AppCall<PeerKey, Empty> PAIR_ADD = new AppCall<>("PairAdd", ADD_REQUEST,
            pk -> GobValue.Struct.builder("PairAddRequest").put("PeerPK", AppValues.pubKey(pk)).build(),
            v -> AppValues.pubKey(AppValues.struct(v, "PairAddRequest"), "PeerPK"),
            AppGobTypes.EMPTY, AppCall::empty, AppCall::empty);
    /** Pending to active: the initiator calls it when the peer's {@code pair-ack} arrives. */
    public static final AppCall<PeerKey, Empty> PAIR_MARK_ACTIVE = keyCall("PairMarkActive");
    /** Closes the pair's feeds and marks it revoked. */
    public static final AppCall<PeerKey, Empty> PAIR_REMOVE = keyCall("PairRemove");
    public static final AppCall<Send, Empty> PAIR_SEND = new AppCall<>("PairSend", SEND_REQUEST, Send::toGob,
            Send::fromGob, AppGobTypes.EMPTY, AppCall::empty, AppCall::empty);
    public static final AppCall<Empty, List<Info>> PAIR_LIST = new AppCall<>("PairList", AppGobTypes.EMPTY,
            AppCall::empty, AppCall::empty, new GobType.Slice("[]visor.PairInfo", PAIR_INFO),
            list -> new GobValue.Sequence(list.stream().map(Info::toGob).toList()),
            v -> elements(v, "PairList reply").stream().map(Info::fromGob).toList());
    /** Inbound messages with a timestamp strictly after {@code since} (Go's zero time: all the visor keeps). */
    public static final AppCall<Optional<Instant>, List<Message>> PAIR_POLL = new AppCall<>("PairPoll", POLL_REQUEST,
            since -> GobValue.Struct.builder("PairPollRequest")
                    .put("Since", since.map(t -> (GobValue) time(t)).orElse(null)).build(),
            v -> AppValues.struct(v, "PairPollRequest").marshaled("Since").map(AppValues::goTime)
                    .filter(t -> !AppValues.isGoZeroTime(t)),
            new GobType.Slice("[]visor.PairMessage", PAIR_MESSAGE),
            list -> new GobValue.Sequence(list.stream().map(Message::toGob).toList()),
            v -> elements(v, "PairPoll reply").stream().map(Message::fromGob).toList());

    /** Every pair call, for a server that dispatches by method name. */
    public static final List<AppCall<?, ?>> ALL = List.of(PAIR_ADD, PAIR_MARK_ACTIVE, PAIR_REMOVE, PAIR_SEND, PAIR_LIST,
            PAIR_POLL);

    private VisorPairCalls() {
    }

    /** {@code PairSendRequest}. */
    public record Send(PeerKey peer, String text) {
        public Send {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(text, "text");
        }

        GobValue toGob() {
            return GobValue.Struct.builder("PairSendRequest").put("PeerPK", AppValues.pubKey(peer))
                    .put("Text", text.isEmpty() ? null : new GobValue.Str(text)).build();
        }

        static Send fromGob(GobValue v) {
            GobValue.Struct s = AppValues.struct(v, "PairSendRequest");
            return new Send(AppValues.pubKey(s, "PeerPK"), s.string("Text"));
        }
    }

    /** {@code visor.PairInfo}: the visor's record of one pair. */
    public record Info(PeerKey peer, String status, int port, Optional<Instant> establishedAt,
                       Optional<Instant> lastMessageAt) {
        public Info {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(status, "status");
            AppValues.checkUint16(port, "port");
        }

        GobValue toGob() {
            return GobValue.Struct.builder("PairInfo").put("PeerPK", AppValues.pubKey(peer))
                    .put("Status", status.isEmpty() ? null : new GobValue.Str(status))
                    .put("Port", port == 0 ? null : AppValues.uint16(port))
                    .put("EstablishedAt", establishedAt.map(t -> (GobValue) time(t)).orElse(null))
                    .put("LastMessageAt", lastMessageAt.map(t -> (GobValue) time(t)).orElse(null))
                    .build();
        }

        static Info fromGob(GobValue v) {
            GobValue.Struct s = AppValues.struct(v, "PairInfo");
            return new Info(AppValues.pubKey(s, "PeerPK"), s.string("Status"), s.uint16("Port"), instant(s, "EstablishedAt"),
                    instant(s, "LastMessageAt"));
        }
    }

    /** {@code visor.PairMessage}: one inbound message from the visor's inbox (its timestamp is the sender's). */
    public record Message(PeerKey peer, String text, Instant ts) {
        public Message {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(ts, "ts");
        }

        GobValue toGob() {
            return GobValue.Struct.builder("PairMessage").put("PeerPK", AppValues.pubKey(peer))
                    .put("Text", text.isEmpty() ? null : new GobValue.Str(text))
                    .put("TS", AppValues.isGoZeroTime(ts) ? null : time(ts)).build();
        }

        static Message fromGob(GobValue v) {
            GobValue.Struct s = AppValues.struct(v, "PairMessage");
            return new Message(AppValues.pubKey(s, "PeerPK"), s.string("Text"), instant(s, "TS").orElseThrow(() ->
                    AppProtocolException.badMessage("PairMessage has no TS")));
        }
    }

    private static AppCall<PeerKey, Empty> keyCall(String method) {
        return new AppCall<>(method, AppGobTypes.PUB_KEY, AppValues::pubKey, v -> key(v, method + " argument"),
                AppGobTypes.EMPTY, AppCall::empty, AppCall::empty);
    }

    private static PeerKey key(GobValue v, String what) {
        if (!(v instanceof GobValue.Marshaled m)) {
            throw GobException.mismatch(what + " must be a marshaled PubKey, got " + v.getClass().getSimpleName());
        }
        try {
            return PeerKey.of(m.data());
        } catch (IllegalArgumentException e) {
            throw AppProtocolException.badMessage(what + ": " + e.getMessage());
        }
    }

    private static GobValue.Marshaled time(Instant t) {
        return new GobValue.Marshaled("Time", AppValues.goTime(t));
    }

    private static Optional<Instant> instant(GobValue.Struct s, String field) {
        return s.marshaled(field).map(AppValues::goTime).filter(t -> !AppValues.isGoZeroTime(t));
    }

    private static List<GobValue> elements(GobValue v, String what) {
        if (v instanceof GobValue.Sequence seq) {
            return new ArrayList<>(seq.elements());
        }
        throw GobException.mismatch(what + " must be a slice, got " + v.getClass().getSimpleName());
    }
}
