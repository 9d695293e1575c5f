package io.skychat.transport.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatFramesTests {

    @Test
    void encodesBigEndianLengthThenPayload() {
        assertThat(HexFormat.of().formatHex(ChatFrames.encode("hi".getBytes()))).isEqualTo("000000026869");
    }

    @Test
    void decodesOneFrameAndLeavesTheRest() {
        ByteBuffer in = ByteBuffer.wrap(HexFormat.of().parseHex("000000026869" + "00000001"));
        assertThat(ChatFrames.tryDecode(in)).isEqualTo("hi".getBytes());
        assertThat(in.remaining()).isEqualTo(4);
        assertThat(ChatFrames.tryDecode(in)).isNull(); // header of a frame whose payload has not arrived
        assertThat(in.remaining()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void truncatedHeaderWaitsForMoreBytes(int available) {
        ByteBuffer in = ByteBuffer.wrap(new byte[available]);
        assertThat(ChatFrames.tryDecode(in)).isNull();
        assertThat(in.position()).isZero();
    }

    @Test
    void truncatedPayloadWaitsForMoreBytes() {
        ByteBuffer in = ByteBuffer.wrap(HexFormat.of().parseHex("0000000568656c"));
        assertThat(ChatFrames.tryDecode(in)).isNull();
        assertThat(in.position()).isZero();
    }

    @Test
    void zeroLengthIsAProtocolError() {
        assertThatThrownBy(() -> ChatFrames.tryDecode(ByteBuffer.wrap(new byte[] {0, 0, 0, 0})))
                .isInstanceOf(FrameException.class)
                .hasMessageContaining("length 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"00010001", "7fffffff", "ffffffff"})
    void oversizedLengthIsRejectedFromTheHeaderAlone(String header) {
        assertThatThrownBy(() -> ChatFrames.tryDecode(ByteBuffer.wrap(HexFormat.of().parseHex(header))))
                .isInstanceOf(FrameException.class)
                .hasMessageContaining("outside 1..65536");
    }

    @Test
    void largestFrameRoundTrips() {
        byte[] payload = new byte[ChatFrames.MAX_PAYLOAD];
        new Random(7).nextBytes(payload);
        assertThat(ChatFrames.tryDecode(ByteBuffer.wrap(ChatFrames.encode(payload)))).isEqualTo(payload);
    }

    @Test
    void refusesToEncodeWhatThePeerWouldReject() {
        assertThatThrownBy(() -> ChatFrames.encode(new byte[ChatFrames.MAX_PAYLOAD + 1]))
                .isInstanceOf(FrameException.class)
                .extracting(e -> ((FrameException) e).type()).isEqualTo("message-too-large");
        assertThatThrownBy(() -> ChatFrames.encode(new byte[0])).isInstanceOf(FrameException.class);
    }

    /** Seeded random splits of a stream of frames decode to the same frames, whatever the chunking. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void decodingIsIndependentOfHowBytesArrive(long seed) {
        Random random = new Random(seed);
        ByteBuffer stream = ByteBuffer.allocate(1 << 20);
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] p = new byte[1 + random.nextInt(3000)];
            random.nextBytes(p);
            sent.add(p);
            stream.put(ChatFrames.encode(p));
        }
        stream.flip();
        ByteBuffer acc = ByteBuffer.allocate(stream.remaining());
        java.util.List<byte[]> got = new java.util.ArrayList<>();
        while (stream.hasRemaining()) {
            int n = Math.min(stream.remaining(), 1 + random.nextInt(700));
            byte[] chunk = new byte[n];
            stream.get(chunk);
            acc.put(chunk);
            acc.flip();
            byte[] frame;
            while ((frame = ChatFrames.tryDecode(acc)) != null) {
                got.add(frame);
            }
            acc.compact();
        }
        assertThat(got).containsExactlyElementsOf(sent);
    }
}
