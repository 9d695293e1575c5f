package io.skychat.transport.visor;

import io.skychat.transport.gob.GobType;
import io.skychat.transport.gob.GobValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One method of the visor's RPC services, with the gob types and conversions of its argument {@code A} and
 * reply {@code R}. App calls go to the service named by the proc key; RegisterApp and DeregisterApp to
 * {@value #VISOR_SERVICE} on the visor's CLI RPC port.
 */
public final class AppCall<A, R> {

    public static final String VISOR_SERVICE = "app-visor";

    public static final AppCall<AppAddr, Integer> LISTEN = new AppCall<>("Listen",
            AppGobTypes.ADDR, AppAddr::toGob, AppAddr::fromGob,
            GobType.Builtin.UINT, AppValues::uint16, v -> AppValues.uint16(v, "Listen reply"));
    public static final AppCall<Integer, AcceptResp> ACCEPT = new AppCall<>("Accept",
            GobType.Builtin.UINT, AppValues::uint16, v -> AppValues.uint16(v, "Accept listener id"),
            AppGobTypes.ACCEPT_RESP, AcceptResp::toGob, AcceptResp::fromGob);
    public static final AppCall<AppAddr, DialResp> DIAL = new AppCall<>("Dial",
            AppGobTypes.ADDR, AppAddr::toGob, AppAddr::fromGob,
            AppGobTypes.DIAL_RESP, DialResp::toGob, DialResp::fromGob);
    public static final AppCall<ReadReq, ReadResp> READ = new AppCall<>("Read",
            AppGobTypes.READ_REQ, ReadReq::toGob, ReadReq::fromGob,
            AppGobTypes.READ_RESP, ReadResp::toGob, ReadResp::fromGob);
    public static final AppCall<WriteReq, WriteResp> WRITE = new AppCall<>("Write",
            AppGobTypes.WRITE_REQ, WriteReq::toGob, WriteReq::fromGob,
            AppGobTypes.WRITE_RESP, WriteResp::toGob, WriteResp::fromGob);
    public static final AppCall<Integer, Empty> CLOSE_CONN = idCall("CloseConn");
    public static final AppCall<Integer, Empty> CLOSE_LISTENER = idCall("CloseListener");
    public static final AppCall<DeadlineReq, Empty> SET_DEADLINE = deadlineCall("SetDeadline");
    public static final AppCall<DeadlineReq, Empty> SET_READ_DEADLINE = deadlineCall("SetReadDeadline");
    public static final AppCall<DeadlineReq, Empty> SET_WRITE_DEADLINE = deadlineCall("SetWriteDeadline");
    public static final AppCall<Integer, Empty> SET_APP_PORT = idCall("SetAppPort");
    public static final AppCall<String, Empty> SET_DETAILED_STATUS = stringCall("SetDetailedStatus");
    public static final AppCall<String, Empty> SET_ERROR = stringCall("SetError");
    public static final AppCall<Long, Empty> SET_CONNECTION_DURATION = new AppCall<>("SetConnectionDuration",
            GobType.Builtin.INT, GobValue.Int::new, v -> AppValues.int64(v, "SetConnectionDuration argument"),
            AppGobTypes.EMPTY, AppCall::empty, AppCall::empty);

    /** Attaches a process the visor did not start; the reply is the key to put in the Hello. */
    public static final AppCall<ProcConfig, ProcKey> REGISTER_APP = new AppCall<>("RegisterApp",
            AppGobTypes.PROC_CONFIG, ProcConfig::toGob, ProcConfig::fromGob,
            AppGobTypes.PROC_KEY, AppValues::procKey, AppValues::procKey);
    public static final AppCall<ProcKey, Empty> DEREGISTER_APP = new AppCall<>("DeregisterApp",
            AppGobTypes.PROC_KEY, AppValues::procKey, AppValues::procKey,
            AppGobTypes.EMPTY, AppCall::empty, AppCall::empty);

    private static final List<AppCall<?, ?>> APP_CALLS = List.of(LISTEN, ACCEPT, DIAL, READ, WRITE, CLOSE_CONN,
            CLOSE_LISTENER, SET_DEADLINE, SET_READ_DEADLINE, SET_WRITE_DEADLINE, SET_APP_PORT, SET_DETAILED_STATUS,
            SET_ERROR, SET_CONNECTION_DURATION);
    private static final List<AppCall<?, ?>> VISOR_CALLS = List.of(REGISTER_APP, DEREGISTER_APP);

    private final String method;
    private final GobType argsType;
    private final Function<A, GobValue> argsToGob;
    private final Function<GobValue, A> argsFromGob;
    private final GobType replyType;
    private final Function<R, GobValue> replyToGob;
    private final Function<GobValue, R> replyFromGob;

    AppCall(String method, GobType argsType, Function<A, GobValue> argsToGob, Function<GobValue, A> argsFromGob,
            GobType replyType, Function<R, GobValue> replyToGob, Function<GobValue, R> replyFromGob) {
        this.method = method;
        this.argsType = argsType;
        this.argsToGob = argsToGob;
        this.argsFromGob = argsFromGob;
        this.replyType = replyType;
        this.replyToGob = replyToGob;
        this.replyFromGob = replyFromGob;
    }

    private static AppCall<Integer, Empty> idCall(String method) {
        return new AppCall<>(method, GobType.Builtin.UINT, AppValues::uint16,
                v -> AppValues.uint16(v, method + " argument"), AppGobTypes.EMPTY, AppCall::empty, AppCall::empty);
    }

    private static AppCall<String, Empty> stringCall(String method) {
        return new AppCall<>(method, GobType.Builtin.STRING, GobValue.Str::new,
                v -> AppValues.string(v, method + " argument"), AppGobTypes.EMPTY, AppCall::empty, AppCall::empty);
    }

    private static AppCall<DeadlineReq, Empty> deadlineCall(String method) {
        return new AppCall<>(method, AppGobTypes.DEADLINE_REQ, DeadlineReq::toGob, DeadlineReq::fromGob,
                AppGobTypes.EMPTY, AppCall::empty, AppCall::empty);
    }

    static GobValue empty(Empty e) {
        return GobValue.Struct.builder("").build();
    }

    static Empty empty(GobValue v) {
        AppValues.struct(v, "empty reply");
        return Empty.INSTANCE; // a newer visor may add fields; a struct is all we need
    }

    /** The app call of this name (what follows the dot of ServiceMethod on the app server port). */
    public static Optional<AppCall<?, ?>> appCall(String method) {
        return APP_CALLS.stream().filter(c -> c.method.equals(method)).findFirst();
    }

    /** The {@value #VISOR_SERVICE} call of this name. */
    public static Optional<AppCall<?, ?>> visorCall(String method) {
        return VISOR_CALLS.stream().filter(c -> c.method.equals(method)).findFirst();
    }

    public String method() {
        return method;
    }

    /** {@code "<service>.<method>"}: the service is the proc key hex for app calls. */
    public String serviceMethod(String service) {
        return Objects.requireNonNull(service, "service") + "." + method;
    }

    public GobType argsType() {
        return argsType;
    }

    public GobType replyType() {
        return replyType;
    }

    public GobValue encodeArgs(A args) {
        return argsToGob.apply(Objects.requireNonNull(args, "args"));
    }

    public A decodeArgs(GobValue v) {
        return argsFromGob.apply(v);
    }

    public GobValue encodeReply(R reply) {
        return replyToGob.apply(Objects.requireNonNull(reply, "reply"));
    }

    public R decodeReply(GobValue v) {
        return replyFromGob.apply(v);
    }

    @Override
    public String toString() {
        return "AppCall[" + method + "]";
    }
}
