package io.skychat.transport.visor;

import static io.skychat.support.VectorFiles.hex;
import static io.skychat.support.VectorFiles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class HelloAndProcConfigTests {

    private static final JsonNode HELLO = AppExchanges.APP.get("hello");
    private static final JsonNode EXAMPLE = AppExchanges.APP.get("proc_config").get("example_as_recorded");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void helloIsTheRecordedFrame() {
        byte[] frame = Hello.of(ProcKey.parse(AppExchanges.PROC_KEY)).encode();
        assertThat(hex(frame)).isEqualTo(text(HELLO, "hex"));
        assertThat(new String(frame, 2, frame.length - 2, StandardCharsets.UTF_8)).isEqualTo(text(HELLO, "json"));
    }

    @Test
    void theVisorSideReadsTheHelloOnceItHasAllOfIt() {
        byte[] frame = io.skychat.support.VectorFiles.bytes(HELLO, "hex");
        ByteBuffer partial = ByteBuffer.wrap(frame, 0, frame.length - 1);
        assertThat(Hello.decode(partial)).isEmpty();
        assertThat(partial.position()).isZero();
        ByteBuffer whole = ByteBuffer.wrap(frame);
        assertThat(Hello.decode(whole)).contains(Hello.of(ProcKey.parse(AppExchanges.PROC_KEY)));
        assertThat(whole.hasRemaining()).isFalse();
    }

    @Test
    void optionalHelloFieldsRoundTripAndEscapeLikeGo() {
        Hello h = new Hello(ProcKey.parse(AppExchanges.PROC_KEY), "dmsg", "<a&b>", Map.of("b", true, "a", false));
        byte[] frame = h.encode();
        String json = new String(frame, 2, frame.length - 2, StandardCharsets.UTF_8);
        assertThat(json).contains("\"egress_addr\":\"\\u003ca\\u0026b\\u003e\"").contains("{\"a\":false,\"b\":true}");
        assertThat(Hello.decode(ByteBuffer.wrap(frame))).contains(h);
    }

    @Test
    void aHelloWithoutAKeyIsRefused() {
        byte[] json = "{\"egress_net\":\"dmsg\"}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(2 + json.length).putShort((short) json.length).put(json).flip();
        assertThatThrownBy(() -> Hello.decode(frame)).isInstanceOf(AppProtocolException.class)
                .hasMessageContaining("proc_key is missing");
    }

    @Test
    void theRecordedProcConfigParses() {
        ProcConfig c = ProcConfig.parse(EXAMPLE.toString());
        assertThat(c.appName()).isEqualTo(text(EXAMPLE, "app_name"));
        assertThat(c.appServerAddr()).isEqualTo(text(EXAMPLE, "app_server_addr"));
        assertThat(c.procKey().hex()).isEqualTo(text(EXAMPLE, "proc_key"));
        assertThat(c.procArgs()).containsExactlyElementsOf(EXAMPLE.get("proc_args").valueStream().map(JsonNode::asString).toList());
        assertThat(c.procEnvs()).isEmpty();
        assertThat(c.procWorkDir()).isEqualTo(text(EXAMPLE, "proc_work_dir"));
        assertThat(c.visorPk()).isEqualTo(PeerKey.parse(text(EXAMPLE, "visor_pk")));
        assertThat(c.routingPort()).isEqualTo(EXAMPLE.get("routing_port").asInt());
        assertThat(c.binaryLoc()).isEqualTo(text(EXAMPLE, "binary_loc"));
        assertThat(ProcConfig.fromEnvironment(Map.of(ProcConfig.ENV, EXAMPLE.toString()))).isEqualTo(c);
    }

    @Test
    void unknownKeysAndNullsAreIgnoredAndKeysMatchAnyCase() {
        ObjectNode json = (ObjectNode) EXAMPLE.deepCopy();
        json.put("added_in_2026", 7);
        json.putNull("binary_loc");
        json.set("APP_NAME", json.remove("app_name"));
        ProcConfig c = ProcConfig.parse(json.toString());
        assertThat(c.appName()).isEqualTo(text(EXAMPLE, "app_name"));
        assertThat(c.binaryLoc()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "app_server_addr|remove||app_server_addr is missing",
            "app_server_addr|set|localhost|not host:port",
            "proc_key|remove||proc_key is missing",
            "proc_key|set|a1b2|proc_key: a proc key is 32 hex characters, got 4",
            "proc_key|set|zzb2c3d4e5f60718293a4b5c6d7e8f90|proc_key: a proc key must be hex",
            "visor_pk|set|04e4cdd6411da62a761dad586f427ad611b433b4419188ca6254cebbcc09772566|visor_pk: public key must be compressed",
            "visor_pk|remove||visor_pk is missing",
            "routing_port|number|70000|routing_port must be a whole number",
            "proc_args|set|--addr|proc_args must be an array of strings"})
    void aBadProcConfigSaysWhichFieldAndWhy(String field, String action, String value, String message) {
        ObjectNode json = (ObjectNode) EXAMPLE.deepCopy();
        switch (action) {
            case "remove" -> json.remove(field);
            case "number" -> json.put(field, Long.parseLong(value));
            default -> json.put(field, value);
        }
        assertThatThrownBy(() -> ProcConfig.parse(json.toString())).isInstanceOf(AppProtocolException.class)
                .hasMessageStartingWith("PROC_CONFIG: ").hasMessageContaining(message);
    }

    @Test
    void notJsonOrNotAnObjectIsRefused() {
        assertThatThrownBy(() -> ProcConfig.parse("{\"app_name\":")).isInstanceOf(AppProtocolException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ProcConfig.parse("[1]")).isInstanceOf(AppProtocolException.class)
                .hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> ProcConfig.fromEnvironment(Map.of())).isInstanceOf(AppProtocolException.class)
                .hasMessageContaining("env 'PROC_CONFIG' is not defined");
    }

    /** RegisterApp goes to the visor's CLI RPC; no recording exists, so the visor side must read what the app side wrote. */
    @Test
    void registerAppRoundTripsBetweenBothSides() {
        ProcConfig c = ProcConfig.parse(EXAMPLE.toString());
        RpcEncoder app = new RpcEncoder();
        RpcDecoder visor = new RpcDecoder();
        byte[] call = app.call(AppCall.VISOR_SERVICE, AppCall.REGISTER_APP, 0, c);
        RpcRequest req = visor.nextRequest(ByteBuffer.wrap(call)).orElseThrow();
        assertThat(req.serviceMethod()).isEqualTo("app-visor.RegisterApp");
        assertThat(AppCall.visorCall(req.method()).orElseThrow().decodeArgs(req.args())).isEqualTo(c);

        RpcEncoder visorOut = new RpcEncoder();
        RpcDecoder appIn = new RpcDecoder();
        byte[] reply = visorOut.reply(req.serviceMethod(), req.seq(), AppCall.REGISTER_APP, c.procKey());
        assertThat(appIn.nextResponse(ByteBuffer.wrap(reply)).orElseThrow().replyOf(AppCall.REGISTER_APP))
                .isEqualTo(c.procKey());

        byte[] deregister = app.call(AppCall.VISOR_SERVICE, AppCall.DEREGISTER_APP, 1, c.procKey());
        RpcRequest dereq = visor.nextRequest(ByteBuffer.wrap(deregister)).orElseThrow();
        assertThat(dereq.seq()).isEqualTo(1);
        assertThat(AppCall.visorCall(dereq.method()).orElseThrow().decodeArgs(dereq.args())).isEqualTo(c.procKey());
    }
}
