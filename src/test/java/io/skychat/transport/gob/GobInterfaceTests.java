package io.skychat.transport.gob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Interface fields, which no recorded message uses but a newer visor could: registered name, concrete type
 * id, then the value as its own length-delimited top-level value.
 */
class GobInterfaceTests {

    private static byte[] messages(GobWriter... bodies) {
        GobWriter out = new GobWriter();
        for (GobWriter b : bodies) {
            byte[] body = b.toByteArray();
            out.writeUint(body.length);
            out.writeRaw(body, 0, body.length);
        }
        return out.toByteArray();
    }

    private static GobWriter boxDefinition() {
        GobWriter def = new GobWriter();
        def.writeInt(-64);
        WireTypeCodec.write(def, new WireType.StructType("Box", 64,
                List.of(new WireType.FieldType("V", GobType.Builtin.INTERFACE.id()))));
        return def;
    }

    private static GobWriter boxHolding(String name, int typeId, GobWriter inner) {
        GobWriter value = new GobWriter();
        value.writeInt(64);
        value.writeUint(1);
        value.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        value.writeInt(typeId);
        value.writeBytes(inner.toByteArray());
        value.writeUint(0);
        return value;
    }

    @Test
    void anInterfaceFieldDecodesToItsNameAndValue() {
        GobWriter inner = new GobWriter();
        inner.writeUint(0); // singleton delta
        inner.writeInt(-5);
        byte[] stream = messages(boxDefinition(), boxHolding("int", GobType.Builtin.INT.id(), inner));

        GobValue.Struct box = (GobValue.Struct) new GobStreamDecoder().next(ByteBuffer.wrap(stream)).orElseThrow();
        assertThat(box.get("V")).contains(new GobValue.Interface("int", new GobValue.Int(-5)));
    }

    @Test
    void anInterfaceValueLongerThanItsContentIsRejected() {
        GobWriter inner = new GobWriter();
        inner.writeUint(0);
        inner.writeInt(-5);
        inner.writeUint(7); // one byte too many inside the delimited value
        byte[] stream = messages(boxDefinition(), boxHolding("int", GobType.Builtin.INT.id(), inner));
        assertThatThrownBy(() -> new GobStreamDecoder().next(ByteBuffer.wrap(stream)))
                .isInstanceOf(GobException.class).hasMessageContaining("extra bytes");
    }

    @Test
    void anInterfaceOfAnUndefinedTypeIsRejected() {
        GobWriter inner = new GobWriter();
        inner.writeUint(0);
        byte[] stream = messages(boxDefinition(), boxHolding("Thing", 99, inner));
        assertThatThrownBy(() -> new GobStreamDecoder().next(ByteBuffer.wrap(stream)))
                .isInstanceOf(GobException.class).hasMessageContaining("99 was never defined");
    }
}
