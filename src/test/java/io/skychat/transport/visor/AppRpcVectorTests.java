package io.skychat.transport.visor;

import static io.skychat.support.VectorFiles.bytes;
import static io.skychat.support.VectorFiles.hex;
import static io.skychat.support.VectorFiles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every recorded call, in order on one connection: the app side encodes the same request bytes and decodes
 * the visor's replies; the visor side decodes those requests and encodes the same reply bytes.
 */
class AppRpcVectorTests {

    private static byte[] stream(String side) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode e : AppExchanges.EXCHANGES) {
            out.writeBytes(bytes(e.get(side), "hex"));
        }
        return out.toByteArray();
    }

    @Test
    void theAppSideWritesEveryRequestByteForByte() {
        RpcEncoder app = new RpcEncoder();
        for (JsonNode e : AppExchanges.EXCHANGES) {
            byte[] got = AppExchanges.call(app, AppExchanges.callOf(e), e.get("seq").asLong(), AppExchanges.args(e));
            assertThat(hex(got)).as("request %s seq %s", text(e, "method"), e.get("seq")).isEqualTo(text(e.get("request"), "hex"));
        }
    }

    @Test
    void theVisorSideWritesEveryReplyByteForByte() {
        RpcEncoder visor = new RpcEncoder();
        for (JsonNode e : AppExchanges.EXCHANGES) {
            String serviceMethod = text(e, "service_method");
            long seq = e.get("seq").asLong();
            String error = AppExchanges.error(e);
            byte[] got = error.isEmpty()
                    ? AppExchanges.reply(visor, serviceMethod, seq, AppExchanges.callOf(e), AppExchanges.reply(e))
                    : visor.errorReply(serviceMethod, seq, error);
            assertThat(hex(got)).as("reply %s seq %d", text(e, "method"), seq).isEqualTo(text(e.get("response"), "hex"));
        }
    }

    @Test
    void theVisorSideReadsEveryRequest() {
        RpcDecoder visor = new RpcDecoder();
        ByteBuffer in = ByteBuffer.wrap(stream("request"));
        for (JsonNode e : AppExchanges.EXCHANGES) {
            RpcRequest req = visor.nextRequest(in).orElseThrow();
            assertThat(req.serviceMethod()).isEqualTo(text(e, "service_method"));
            assertThat(req.service()).isEqualTo(AppExchanges.PROC_KEY);
            assertThat(req.seq()).isEqualTo(e.get("seq").asLong());
            AppCall<?, ?> call = AppCall.appCall(req.method()).orElseThrow();
            assertThat(call.method()).isEqualTo(text(e, "method"));
            assertThat(call.decodeArgs(req.args())).as("%s args", call.method()).isEqualTo(AppExchanges.args(e));
        }
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void theAppSideReadsEveryReply() {
        RpcDecoder app = new RpcDecoder();
        ByteBuffer in = ByteBuffer.wrap(stream("response"));
        for (JsonNode e : AppExchanges.EXCHANGES) {
            RpcResponse resp = app.nextResponse(in).orElseThrow();
            assertThat(resp.serviceMethod()).isEqualTo(text(e, "service_method"));
            assertThat(resp.seq()).isEqualTo(e.get("seq").asLong());
            assertThat(resp.error()).isEqualTo(AppExchanges.error(e));
            AppCall<?, ?> call = AppExchanges.callOf(e);
            if (resp.isError()) {
                assertThatThrownBy(() -> resp.replyOf(call)).isInstanceOf(AppProtocolException.class)
                        .hasMessageContaining(AppExchanges.error(e));
            } else {
                assertThat((Object) resp.replyOf(call)).as("%s reply", call.method()).isEqualTo(AppExchanges.reply(e));
            }
        }
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void aReplyWhoseBodyHasNotArrivedWaitsForIt() {
        JsonNode first = AppExchanges.EXCHANGES.get(0);
        byte[] header = bytes(first.get("response").get("header"), "hex");
        byte[] body = bytes(first.get("response").get("body"), "hex");
        RpcDecoder app = new RpcDecoder();
        ByteBuffer in = ByteBuffer.allocate(header.length + body.length);
        in.put(header).put(body, 0, body.length - 1).flip();
        assertThat(app.nextResponse(in)).isEmpty();
        in.compact().put(body, body.length - 1, 1).flip();
        RpcResponse resp = app.nextResponse(in).orElseThrow();
        assertThat(resp.replyOf(AppCall.LISTEN)).isEqualTo(AppExchanges.reply(first));
    }

    @Test
    void aReplyOfTheWrongShapeIsReportedNotMisread() {
        // Dial's reply decoded as if it answered Read: the field types do not match.
        JsonNode dial = AppExchanges.EXCHANGES.get(3);
        RpcDecoder app = new RpcDecoder();
        ByteBuffer in = ByteBuffer.wrap(stream("response"));
        RpcResponse resp = null;
        for (int i = 0; i <= 3; i++) {
            resp = app.nextResponse(in).orElseThrow();
        }
        assertThat(resp.seq()).isEqualTo(dial.get("seq").asLong());
        RpcResponse dialReply = resp;
        assertThatThrownBy(() -> dialReply.replyOf(AppCall.LISTEN)).isInstanceOf(io.skychat.transport.gob.GobException.class)
                .hasMessageContaining("uint16");
    }
}
