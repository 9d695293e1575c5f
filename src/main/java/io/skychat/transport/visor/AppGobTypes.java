package io.skychat.transport.visor;

import static io.skychat.transport.gob.GobType.Builtin.BOOL;
import static io.skychat.transport.gob.GobType.Builtin.BYTES;
import static io.skychat.transport.gob.GobType.Builtin.INT;
import static io.skychat.transport.gob.GobType.Builtin.STRING;
import static io.skychat.transport.gob.GobType.Builtin.UINT;

import io.skychat.transport.gob.GobType;
import io.skychat.transport.gob.GobType.Marshaler;
import io.skychat.transport.gob.GobType.Marshaling;
import io.skychat.transport.gob.GobType.Struct;

/** The Go types of the app protocol as gob sees them: names and field order are Go's, so Go reads what we write. */
final class AppGobTypes {

    static final Struct REQUEST = Struct.of("Request", field("ServiceMethod", STRING), field("Seq", UINT));
    static final Struct RESPONSE = Struct.of("Response", field("ServiceMethod", STRING), field("Seq", UINT),
            field("Error", STRING));
    /** {@code struct{}}: net/rpc's reply placeholder after an error, and the reply of void calls. */
    static final Struct EMPTY = Struct.of("");

    static final Marshaler PUB_KEY = new Marshaler(Marshaling.BINARY_MARSHALER, "PubKey");
    static final Marshaler TIME = new Marshaler(Marshaling.GOB_ENCODER, "Time");
    static final Marshaler PROC_KEY = new Marshaler(Marshaling.TEXT_MARSHALER, "ProcKey");

    static final Struct ADDR = Struct.of("Addr", field("Net", STRING), field("PubKey", PUB_KEY), field("Port", UINT));
    static final Struct DIAL_RESP = Struct.of("DialResp", field("ConnID", UINT), field("LocalPort", UINT));
    static final Struct ACCEPT_RESP = Struct.of("AcceptResp", field("Remote", ADDR), field("ConnID", UINT));
    static final Struct RPC_IO_ERR = Struct.of("RPCIOErr", field("Text", STRING), field("IsNetErr", BOOL),
            field("IsTimeoutErr", BOOL), field("IsTemporaryErr", BOOL));
    static final Struct WRITE_REQ = Struct.of("WriteReq", field("ConnID", UINT), field("B", BYTES));
    static final Struct WRITE_RESP = Struct.of("WriteResp", field("N", INT), field("Err", RPC_IO_ERR));
    static final Struct READ_REQ = Struct.of("ReadReq", field("ConnID", UINT), field("BufLen", INT));
    static final Struct READ_RESP = Struct.of("ReadResp", field("B", BYTES), field("N", INT), field("Err", RPC_IO_ERR));
    static final Struct DEADLINE_REQ = Struct.of("DeadlineReq", field("ConnID", UINT), field("Deadline", TIME));

    private static final GobType.Slice STRINGS = new GobType.Slice("[]string", STRING);
    /** appcommon.ProcConfig in the field order of the 2024 develop line (LogStorePath last). */
    static final Struct PROC_CONFIG = Struct.of("ProcConfig", field("AppName", STRING), field("AppSrvAddr", STRING),
            field("ProcKey", PROC_KEY), field("ProcArgs", STRINGS), field("ProcEnvs", STRINGS),
            field("ProcWorkDir", STRING), field("VisorPK", PUB_KEY), field("RoutingPort", UINT),
            field("BinaryLoc", STRING), field("LogDBLoc", STRING), field("LogStorePath", STRING));

    private AppGobTypes() {
    }

    private static GobType.Field field(String name, GobType type) {
        return new GobType.Field(name, type);
    }
}
