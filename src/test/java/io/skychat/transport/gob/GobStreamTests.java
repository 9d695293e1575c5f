package io.skychat.transport.gob;

import static io.skychat.support.VectorFiles.bytes;
import static io.skychat.support.VectorFiles.hex;
import static io.skychat.support.VectorFiles.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.skychat.support.Fuzz;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Streams and objects recorded from Go, read by the decoder and written again by the encoder. */
class GobStreamTests {

    static final long[] SEEDS = Fuzz.SEEDS;

    static Stream<Arguments> typeDefinitions() {
        return Stream.of("typedefs_app_to_visor", "typedefs_visor_to_app")
                .flatMap(list -> GobVectors.APP.get(list).valueStream()
                        .map(d -> Arguments.of(list + " " + d.get("id").asInt(), d)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typeDefinitions")
    void typeDefinitionsReadAsRecordedAndWriteBackIdentically(String name, JsonNode d) {
        byte[] message = bytes(d, "message_hex");
        GobStreamDecoder decoder = new GobStreamDecoder();
        ByteBuffer in = ByteBuffer.wrap(message);

        assertThat(decoder.next(in)).as("a definition alone yields no value").isEmpty();
        assertThat(in.hasRemaining()).isFalse();

        JsonNode def = d.get("definition");
        int id = def.get("id").asInt();
        WireType t = decoder.types().get(id);
        assertThat(t.id()).isEqualTo(id);
        assertThat(t.name()).isEqualTo(text(def, "name"));
        switch (text(def, "kind")) {
            case "struct" -> {
                assertThat(t).isInstanceOf(WireType.StructType.class);
                List<String> fields = new ArrayList<>();
                for (WireType.FieldType f : ((WireType.StructType) t).fields()) {
                    fields.add(f.name() + ":" + f.typeId());
                }
                assertThat(fields).containsExactlyElementsOf(def.get("fields").valueStream()
                        .map(f -> text(f, "name") + ":" + f.get("type_id").asInt()).toList());
            }
            case "BinaryMarshaler" -> assertThat(t).isEqualTo(
                    new WireType.MarshalerType(GobType.Marshaling.BINARY_MARSHALER, t.name(), id));
            case "GobEncoder" -> assertThat(t).isEqualTo(
                    new WireType.MarshalerType(GobType.Marshaling.GOB_ENCODER, t.name(), id));
            default -> throw new AssertionError("kind " + text(def, "kind"));
        }

        GobWriter w = new GobWriter();
        w.writeInt(-id);
        WireTypeCodec.write(w, t);
        byte[] body = w.toByteArray();
        GobWriter framed = new GobWriter();
        framed.writeUint(body.length);
        framed.writeRaw(body, 0, body.length);
        assertThat(hex(framed.toByteArray())).isEqualTo(hex(message));
    }

    @ParameterizedTest
    @ValueSource(strings = {"request", "response"})
    void appStreamsReEncodeByteForByte(String side) {
        byte[] stream = GobVectors.appStream(side);
        GobStreamDecoder decoder = new GobStreamDecoder();
        List<GobVectors.Decoded> values = GobVectors.decodeAll(decoder, stream);
        assertThat(values).hasSize(2 * GobVectors.APP.get("exchanges").size());

        GobStreamEncoder encoder = new GobStreamEncoder(GobStreamEncoder.FIRST_ID_GO_1_23);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        for (GobVectors.Decoded d : values) {
            again.writeBytes(encoder.encode(GobVectors.schemaOf(d.typeId(), decoder.types()), d.value()));
        }
        assertThat(hex(again.toByteArray())).isEqualTo(hex(stream));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream_request", "stream_response"})
    void dmsgObjectsReEncodeByteForByteWithAFreshEncoder(String which) {
        byte[] object = bytes(GobVectors.DMSG.get(which), "gob_object_hex");
        GobStreamDecoder decoder = new GobStreamDecoder();
        List<GobVectors.Decoded> values = GobVectors.decodeAll(decoder, object);
        assertThat(values).hasSize(1);

        byte[] again = GobStreamEncoder.encodeObject(GobStreamEncoder.FIRST_ID_DMSG,
                GobVectors.schemaOf(values.get(0).typeId(), decoder.types()), values.get(0).value());
        assertThat(hex(again)).isEqualTo(hex(object));
    }

    @Test
    void dmsgResponseFromAnotherProcessDecodesToTheSameValue() {
        JsonNode r = GobVectors.DMSG.get("stream_response");
        GobValue fresh = GobStreamDecoder.decodeObject(bytes(r, "gob_object_hex"));
        GobValue other = GobStreamDecoder.decodeObject(bytes(r, "alt_same_process_as_request_gob_hex"));
        assertThat(other).isEqualTo(fresh);
    }

    @Test
    void dmsgRequestDecodesToTheRecordedInputs() {
        JsonNode inputs = GobVectors.DMSG.get("inputs");
        GobValue.Struct req = (GobValue.Struct) GobStreamDecoder.decodeObject(GobVectors.requestObject());
        assertThat(req.typeName()).isEqualTo("StreamRequest");
        assertThat(req.integer("Timestamp")).isEqualTo(inputs.get("timestamp").asLong());
        GobValue.Struct src = req.struct("SrcAddr").orElseThrow();
        assertThat(hex(src.marshaled("PK").orElseThrow())).isEqualTo(text(inputs, "dialer_A_pk"));
        assertThat(src.uint16("Port")).isEqualTo(inputs.get("src_port").asInt());
        GobValue.Struct dst = req.struct("DstAddr").orElseThrow();
        assertThat(hex(dst.marshaled("PK").orElseThrow())).isEqualTo(text(inputs, "listener_B_pk"));
        assertThat(dst.uint16("Port")).isEqualTo(inputs.get("dst_port").asInt());
        assertThat(hex(req.bytes("NoiseMsg"))).isEqualTo(text(inputs, "request_noise_msg_hex (KK msg1)"));
    }

    @Test
    void dmsgResponseDecodesToTheRecordedValues() {
        JsonNode r = GobVectors.DMSG.get("stream_response");
        GobValue.Struct resp = (GobValue.Struct) GobStreamDecoder.decodeObject(GobVectors.responseObject());
        assertThat(hex(resp.byteArray("ReqHash", 32))).isEqualTo(text(r, "req_hash_hex"));
        assertThat(resp.bool("Accepted")).isEqualTo(r.get("accepted").asBoolean());
        assertThat(resp.has("ErrCode")).as("a zero ErrCode is left out").isFalse();
        assertThat(resp.uint16("ErrCode")).isEqualTo(r.get("err_code").asInt());
        assertThat(hex(resp.bytes("NoiseMsg")))
                .isEqualTo(text(GobVectors.DMSG.get("inputs"), "response_noise_msg_hex (KK msg2)"));
    }

    /** What a Netty cumulation buffer would do: bytes arrive in random pieces, whole values come out in order. */
    @ParameterizedTest(name = "seed {0}")
    @FieldSource("SEEDS")
    void anyChunkingYieldsTheSameValues(long seed) {
        Random r = new Random(seed);
        for (String side : List.of("request", "response")) {
            byte[] stream = GobVectors.appStream(side);
            List<GobVectors.Decoded> whole = GobVectors.decodeAll(new GobStreamDecoder(), stream);

            GobStreamDecoder decoder = new GobStreamDecoder();
            ByteBuffer cumulation = ByteBuffer.allocate(stream.length);
            cumulation.flip();
            List<GobValue> got = new ArrayList<>();
            int fed = 0;
            while (fed < stream.length) {
                int n = Math.min(stream.length - fed, 1 + r.nextInt(r.nextBoolean() ? 4 : 80));
                cumulation.compact().put(stream, fed, n).flip();
                fed += n;
                for (var v = decoder.next(cumulation); v.isPresent(); v = decoder.next(cumulation)) {
                    got.add(v.get());
                }
            }
            assertThat(cumulation.hasRemaining()).isFalse();
            assertThat(got).containsExactlyElementsOf(whole.stream().map(GobVectors.Decoded::value).toList());
        }
    }

    @Test
    void everyPrefixOfAValidStreamIsIncompleteNotAnError() {
        byte[] stream = GobVectors.appStream("response");
        List<GobVectors.Decoded> whole = GobVectors.decodeAll(new GobStreamDecoder(), stream);
        for (int cut = 0; cut < Math.min(stream.length, 400); cut++) {
            GobStreamDecoder decoder = new GobStreamDecoder();
            ByteBuffer in = ByteBuffer.wrap(stream, 0, cut);
            int n = 0;
            while (decoder.next(in).isPresent()) {
                n++;
            }
            assertThat(n).isLessThan(whole.size());
            ByteBuffer rest = ByteBuffer.allocate(stream.length - in.position());
            rest.put(stream, in.position(), rest.remaining()).flip();
            while (decoder.next(rest).isPresent()) {
                n++;
            }
            assertThat(n).as("cut at %d, then the rest", cut).isEqualTo(whole.size());
        }
    }
}
