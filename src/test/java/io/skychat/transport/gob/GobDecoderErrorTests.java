package io.skychat.transport.gob;

import static io.skychat.support.VectorFiles.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Hostile or broken input fails with a GobException that says what was wrong, before anything is trusted. */
class GobDecoderErrorTests {

    private static final JsonNode LISTEN = GobVectors.APP.get("exchanges").get(0);
    private static final JsonNode DIAL = GobVectors.APP.get("exchanges").get(3);

    private static byte[] message(int typeId, GobWriter body) {
        GobWriter w = new GobWriter();
        w.writeInt(typeId);
        byte[] b = body.toByteArray();
        w.writeRaw(b, 0, b.length);
        byte[] inner = w.toByteArray();
        GobWriter framed = new GobWriter();
        framed.writeUint(inner.length);
        framed.writeRaw(inner, 0, inner.length);
        return framed.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static void decodeAll(GobStreamDecoder decoder, byte[] stream) {
        ByteBuffer in = ByteBuffer.wrap(stream);
        while (decoder.next(in).isPresent()) {
            // drain
        }
    }

    @Test
    void aValueOfATypeNeverDefinedIsRejected() {
        // Dial's Addr argument without the definitions the stream sent at Listen.
        byte[] addr = bytes(DIAL.get("request").get("body"), "hex");
        assertThatThrownBy(() -> decodeAll(new GobStreamDecoder(), addr))
                .isInstanceOf(GobException.class).hasMessageContaining("never defined");
    }

    @Test
    void aTypeDefinedTwiceIsRejected() {
        byte[] def = bytes(GobVectors.APP.get("typedefs_app_to_visor").get(0), "message_hex");
        assertThatThrownBy(() -> decodeAll(new GobStreamDecoder(), concat(def, def)))
                .isInstanceOf(GobException.class).hasMessageContaining("defined twice");
    }

    @Test
    void builtinIdsCannotBeRedefined() {
        GobWriter body = new GobWriter();
        WireTypeCodec.write(body, new WireType.StructType("X", 6, List.of()));
        assertThatThrownBy(() -> decodeAll(new GobStreamDecoder(), message(-6, body)))
                .isInstanceOf(GobException.class).hasMessageContaining("reserved");
    }

    @Test
    void anOversizedMessageIsRefusedFromItsLengthPrefixAlone() {
        byte[] header = bytes(LISTEN.get("request").get("header"), "hex");
        GobStreamDecoder small = new GobStreamDecoder(16);
        assertThatThrownBy(() -> small.next(ByteBuffer.wrap(header, 0, 1)))
                .isInstanceOf(GobException.class).hasMessageContaining("exceeds the limit of 16");
    }

    @Test
    void aHugeLengthPrefixIsRefusedWithoutAllocating() {
        byte[] prefix = {(byte) 0xf8, 0x7f, -1, -1, -1, -1, -1, -1, -1};
        assertThatThrownBy(() -> new GobStreamDecoder().next(ByteBuffer.wrap(prefix)))
                .isInstanceOf(GobException.class).hasMessageContaining("exceeds the limit");
    }

    @Test
    void aStringLongerThanItsMessageIsRejected() {
        byte[] stream = bytes(LISTEN.get("request").get("header"), "hex").clone();
        // The value message's ServiceMethod length byte (0x27) follows "2c ff80 01".
        int at = bytes(GobVectors.APP.get("typedefs_app_to_visor").get(0), "message_hex").length + 4;
        assertThat(stream[at]).isEqualTo((byte) 0x27);
        stream[at] = 0x7f;
        assertThatThrownBy(() -> decodeAll(new GobStreamDecoder(), stream))
                .isInstanceOf(GobException.class).hasMessageContaining("larger than the");
    }

    @Test
    void bytesLeftAfterAValueAreRejected() {
        byte[] value = bytes(LISTEN.get("response").get("body"), "hex"); // 03 06 00 01: uint 1
        byte[] longer = {0x04, value[1], value[2], value[3], 0x00};
        assertThatThrownBy(() -> decodeAll(new GobStreamDecoder(), longer))
                .isInstanceOf(GobException.class).hasMessageContaining("left over");
    }

    @Test
    void anEmptyMessageIsRejected() {
        assertThatThrownBy(() -> decodeAll(new GobStreamDecoder(), new byte[] {0}))
                .isInstanceOf(GobException.class).hasMessageContaining("empty message");
    }

    @Test
    void aUintPrefixLongerThanEightBytesIsRejected() {
        assertThatThrownBy(() -> decodeAll(new GobStreamDecoder(), new byte[] {(byte) 0x80, 1, 2}))
                .isInstanceOf(GobException.class).hasMessageContaining("bad message length prefix");
    }

    @Test
    void aFieldNumberBeyondTheStructIsRejected() {
        byte[] stream = bytes(LISTEN.get("request").get("header"), "hex").clone();
        int at = stream.length - 1; // the struct's closing 0 delta
        stream[at] = 0x05;
        assertThatThrownBy(() -> decodeAll(new GobStreamDecoder(), stream))
                .isInstanceOf(GobException.class);
    }

    @Test
    void deeplyNestedValuesStopAtTheDepthLimit() {
        // type 64 = struct Node { Next Node }: legal in gob only through a pointer, and bounded here by depth.
        GobWriter def = new GobWriter();
        WireTypeCodec.write(def, new WireType.StructType("Node", 64, List.of(new WireType.FieldType("Next", 64))));
        GobWriter value = new GobWriter();
        int depth = GobStreamDecoder.MAX_DEPTH + 10;
        for (int i = 0; i < depth; i++) {
            value.writeUint(1);
        }
        for (int i = 0; i <= depth; i++) {
            value.writeUint(0);
        }
        byte[] stream = concat(message(-64, def), message(64, value));
        assertThatThrownBy(() -> decodeAll(new GobStreamDecoder(), stream))
                .isInstanceOf(GobException.class).hasMessageContaining("nesting depth");
    }

    @Test
    void nestingWithinTheLimitDecodes() {
        GobWriter def = new GobWriter();
        WireTypeCodec.write(def, new WireType.StructType("Node", 64, List.of(new WireType.FieldType("Next", 64))));
        GobWriter value = new GobWriter();
        int depth = GobStreamDecoder.MAX_DEPTH - 2;
        for (int i = 0; i < depth; i++) {
            value.writeUint(1);
        }
        for (int i = 0; i <= depth; i++) {
            value.writeUint(0);
        }
        ByteBuffer in = ByteBuffer.wrap(concat(message(-64, def), message(64, value)));
        GobValue.Struct v = (GobValue.Struct) new GobStreamDecoder().next(in).orElseThrow();
        int seen = 0;
        while (v.struct("Next").isPresent()) {
            v = v.struct("Next").orElseThrow();
            seen++;
        }
        assertThat(seen).isEqualTo(depth);
    }

    @Test
    void accessorsRefuseTheWrongKind() {
        GobStreamDecoder decoder = new GobStreamDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes(LISTEN.get("request"), "hex"));
        GobValue.Struct header = (GobValue.Struct) decoder.next(in).orElseThrow();
        assertThatThrownBy(() -> header.uint("ServiceMethod"))
                .isInstanceOf(GobException.class).hasMessageContaining("Request.ServiceMethod is a Str");
    }
}
